"""The demo links: the hand-checked pairs, loaded after the bank and the manuals, once."""

from __future__ import annotations

from sqlalchemy import func, select

from training.article_links.demo import DEMO_LINKS, load_demo_links
from training.article_links.models import QuestionArticleLink
from training.article_links.services import links_for_questions
from training.bank.demo import load_demo_bank
from training.bank.models import Question
from training.bank.services import normalise_text
from training.database import db
from training.demo.loader import DEMO_STEPS, DemoReport
from training.manuals.demo import load_demo_manuals


def test_the_links_step_runs_after_the_bank_and_the_manuals(app):
    names = [name for name, _step in DEMO_STEPS]
    assert names.index("article links") > names.index("question bank")
    assert names.index("article links") > names.index("manuals")


def test_demo_links_each_named_question_to_its_article_once(app):
    report = DemoReport()
    load_demo_bank(report)
    load_demo_manuals(report)
    load_demo_links(report)
    db.session.commit()
    questions = db.session.scalars(select(Question)).all()
    stems = {q.id: normalise_text(q.current_version.stem) for q in questions}
    links = links_for_questions(stems)
    linked = {
        (prefix, (item.article.manual_title, item.article.heading.split()[0]))
        for question_id, items in links.items()
        for item in items
        for prefix in DEMO_LINKS
        if stems[question_id].startswith(normalise_text(prefix))
    }
    assert linked == set(DEMO_LINKS.items())
    assert sum(len(items) for items in links.values()) == len(DEMO_LINKS)

    load_demo_links(report)
    assert db.session.scalar(select(func.count(QuestionArticleLink.id))) == len(DEMO_LINKS)
    assert report.lines[-1] == "条文关联：演示题库已有关联，未改动"
