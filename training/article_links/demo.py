"""The demo bank's questions linked to the bundled regulations' articles that teach them.

The seed papers are a textbook exam and the seed regulations company rules, so most questions
have no article; the pairs below are the ones whose article was checked by reading it (the
suggester proposed most of them). Each names the question by the start of its stem.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.article_links.models import QuestionArticleLink
from training.article_links.services import link_article
from training.bank.demo import DEMO_BANK
from training.bank.models import Question, QuestionBank
from training.bank.services import normalise_text
from training.database import db
from training.demo.loader import DemoReport
from training.manuals.models import Manual, ManualEdition, ManualPart

# stem prefix → (regulation, article label), with why the article teaches the question.
DEMO_LINKS: dict[str, tuple[str, str]] = {
    # 客户分类: the article is the rules' own classification of customers.
    "客户可以分为经济型客户": ("关于客户管理的规定", "第四条"),
    # 客户档案: what a customer file holds (basic information, needs, contacts).
    "在对大客户的档案管理过程中": ("优质客户管理制度", "第十条"),
    # A cake delivered late: 产品交付及时, 满足客户交货期要求.
    "某顾客定了一个蛋糕": ("客户交付管理规定", "第六条"),
    # The customer service centre as the channel that collects customer information.
    "下列选项中,属于客户服务中心作用的是": ("客户服务用户管理制度", "第五条"),
    # Complaints reveal failures: summarise their causes and improve the service.
    "下列选项中,客户投诉对于企业的意义是": ("公司内部客户服务管理制度", "第六条"),
    # 客户服务行为 spans 售前、售中和售后: the article's very words.
    "客户服务行为": ("优质客户管理制度", "第十九条"),
    # 大客户: the regulation's definition of 优质大客户.
    "大客户": ("优质大客户综合管理制度", "二、"),
    # 呼吸松弛法 keeps staff calm under pressure: 心理素质, 承受工作压力.
    "呼吸松弛法": ("客户服务管理制度总则", "第七条"),
    # Principles of service quality: 以客户为中心, 预防为主, 持续改进.
    "试对客户服务质量管理中应遵循的原则进行总结": ("客户服务管理制度总则", "第三条"),
    # The case asks for the standards of good service: the article lists them.
    "请结合所学知识分析:在面对不同的客户需求时": ("公司内部客户服务管理制度", "第四条"),
}


def load_demo_links(report: DemoReport) -> None:
    """Link the demo bank's questions once; a bank with any link is left as trainers made it."""
    bank = db.session.scalar(select(QuestionBank).filter_by(name=DEMO_BANK))
    if bank is None:
        return
    questions = list(
        db.session.scalars(
            select(Question)
            .filter_by(bank_id=bank.id)
            .options(selectinload(Question.current_version))
        )
    )
    if _has_links(questions):
        report.lines.append("条文关联：演示题库已有关联，未改动")
        return
    articles = _current_articles()
    created = 0
    for prefix, key in DEMO_LINKS.items():
        question = _by_stem(questions, prefix)
        if question is not None and key in articles:
            created += link_article(question, articles[key], actor=None)
    report.lines.append(f"条文关联：演示题库 {created} 题关联到制度条文")


def _has_links(questions: list[Question]) -> bool:
    ids = [question.id for question in questions]
    first = db.session.scalar(
        select(QuestionArticleLink.id).where(QuestionArticleLink.question_id.in_(ids)).limit(1)
    )
    return first is not None


def _by_stem(questions: list[Question], prefix: str) -> Question | None:
    """The question whose stem starts with `prefix` (an exact stem wins over a longer one)."""
    wanted = normalise_text(prefix)
    matches = [q for q in questions if normalise_text(q.current_version.stem).startswith(wanted)]
    return min(matches, key=lambda q: len(q.current_version.stem), default=None)


def _current_articles() -> dict[tuple[str, str], ManualPart]:
    """Current articles by (regulation title, label) for the titles the demo links use."""
    titles = {title for title, _label in DEMO_LINKS.values()}
    parts = db.session.execute(
        select(Manual.title, ManualPart)
        .join(ManualEdition, ManualEdition.manual_id == Manual.id)
        .join(ManualPart, ManualPart.edition_id == ManualEdition.id)
        .where(
            Manual.title.in_(titles),
            ManualEdition.is_current.is_(True),
            ManualPart.is_article.is_(True),
        )
    )
    return {(title, part.label): part for title, part in parts}
