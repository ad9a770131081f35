"""Link suggestions on the bundled seed bank and regulations, checked against articles read by hand.

The seed papers are a textbook exam and the seed regulations company rules, so only some
questions have an article that teaches them. For each question below the right article was
found by reading the regulations; the suggester must put it among its top three.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.article_links.conftest import article
from tests.manuals.samples import TITLE
from training.article_links.suggest import find_articles, preselected, suggest_articles
from training.bank.demo import load_demo_bank
from training.bank.models import Question
from training.bank.services import normalise_text
from training.database import db
from training.demo.loader import DemoReport
from training.manuals.demo import load_demo_manuals

# stem prefix → the acceptable (regulation, article heading)s, and why.
HAND_CHECKED: dict[str, set[tuple[str, str]]] = {
    # The question sorts customers by type; 第四条 is the rules' 客户分类.
    "客户可以分为经济型客户": {("关于客户管理的规定", "第四条")},
    # What a large customer's file holds; 第十条: 客户档案 = 基本信息、需求情况、沟通记录.
    "在对大客户的档案管理过程中": {("优质客户管理制度", "第十条")},
    # A cake delivered after the banquet: 第三章 产品交付 — 第六条 交付及时、满足交货期,
    # 第七条 the delivery process (物流部 确保及时送达). Either teaches it.
    "某顾客定了一个蛋糕": {("客户交付管理规定", "第六条"), ("客户交付管理规定", "第七条")},
    # The service centre collects customer information (option B); 第五条 lists the 客户服务中心
    # among the channels that collect it.
    "下列选项中,属于客户服务中心作用的是": {("客户服务用户管理制度", "第五条")},
    # 客户服务行为 runs through 售前、售中和售后: 第十九条 says exactly that of 客户服务.
    "客户服务行为": {("优质客户管理制度", "第十九条")},
    # The definition of 大客户 (high revenue, high profit contribution): section 二、 定义.
    "大客户": {("优质大客户综合管理制度", "二、 定义")},
    # 呼吸松弛法 keeps a service employee calm under pressure; 第七条 requires 心理素质 and
    # bearing 工作压力.
    "呼吸松弛法": {("客户服务管理制度总则", "第七条")},
    # Principles of service quality management (以客户为中心, 预防为主, 持续改进): 第三条.
    "试对客户服务质量管理中应遵循的原则进行总结": {("客户服务管理制度总则", "第三条")},
    # The case asks for the standards of good service; 第四条 lists the service standards.
    "请结合所学知识分析:在面对不同的客户需求时": {("公司内部客户服务管理制度", "第四条")},
}


@pytest.fixture
def seed_bank(app) -> list[Question]:
    report = DemoReport()
    load_demo_bank(report)
    load_demo_manuals(report)
    db.session.commit()
    return list(db.session.scalars(select(Question)))


def by_stem(questions: list[Question], prefix: str) -> Question:
    wanted = normalise_text(prefix)
    matches = [q for q in questions if normalise_text(q.current_version.stem).startswith(wanted)]
    return min(matches, key=lambda q: len(q.current_version.stem))


def test_the_hand_checked_article_is_in_the_top_three(seed_bank):
    misses = {}
    for prefix, right in HAND_CHECKED.items():
        top = suggest_articles(by_stem(seed_bank, prefix), limit=3)
        shown = [(part.edition.manual.title, part.heading) for part, _score in top]
        if not right & set(shown):
            misses[prefix] = shown
    assert misses == {}


def test_suggestions_are_current_articles_best_first(seed_bank):
    top = suggest_articles(by_stem(seed_bank, "大客户"), limit=5)
    scores = [score for _part, score in top]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert all(part.is_article and part.edition.is_current for part, _score in top)


def test_a_clear_winner_is_preselected_and_a_close_call_is_not(seed_bank):
    definition = suggest_articles(by_stem(seed_bank, "大客户"), limit=3)
    assert preselected(definition) is definition[0][0]
    principles = suggest_articles(by_stem(seed_bank, "试对客户服务质量管理"), limit=3)
    assert principles[0][1] < 2 * principles[1][1]  # three regulations state principles
    assert preselected(principles) is None
    assert preselected([]) is None


def test_trainers_can_search_when_the_suggestions_miss(library):
    found = find_articles("投诉 回访", limit=3)
    assert article(TITLE, "a4") in [part for part, _score in found]
    assert find_articles("，。", limit=3) == []
