"""The demo papers: the 004 mock exam as printed, and a rule quiz the demo bank can fill."""

from __future__ import annotations

from sqlalchemy import func, select

from training.database import db
from training.demo.loader import load_demo
from training.papers.demo import DEMO_FIXED, DEMO_RULES
from training.papers.models import Paper
from training.papers.queries import items_of
from training.papers.services import draw_for_attempt, validate_paper


def test_demo_papers_are_usable_for_formal_exams_and_loaded_once(app):
    load_demo("demo-password-1")
    mock = db.session.scalar(select(Paper).filter_by(title=DEMO_FIXED))
    quiz = db.session.scalar(select(Paper).filter_by(title=DEMO_RULES))
    assert validate_paper(mock, formal=True) == [] and validate_paper(quiz, formal=True) == []
    items = items_of(mock)
    assert len(items) == 36
    assert all(i.question.current_version.source_file.startswith("004") for i in items)
    assert [s.title for s in mock.sections][:2] == ["单项选择题", "多项选择题"]
    assert [(s.type, s.count) for s in quiz.sections] == [("single", 10), ("multiple", 5)]
    assert len(draw_for_attempt(quiz, seed=1, formal=True)) == 15
    load_demo("demo-password-1")
    # (the courses' demo step adds its lesson quizzes' own papers)
    demo_papers = select(func.count(Paper.id)).where(Paper.title.in_([DEMO_FIXED, DEMO_RULES]))
    assert db.session.scalar(demo_papers) == 2
