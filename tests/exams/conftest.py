"""Exam fixtures: a small keyed bank, a paper whose draw is fixed, and an exam factory.

The paper's draw is monkeypatched (`training.exams.attempts.draw_for_attempt`) so these tests
pin the exam rules, not the papers feature's drawing; `test_demo.py` covers the
seam with the real `draw_for_attempt`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from question_bank.model import Option, Question, ScoringPoint
from training.bank.services import add_questions, ensure_bank
from training.database import db, utcnow
from training.exams.services import ExamSettings, assign_exam, create_exam
from training.papers.models import Paper
from training.papers.services import DrawnItem
from training.people.audience import targets
from training.people.services import ensure_department

# Strings that exist only in keys and explanations: a page or JSON containing one leaks.
SECRET_EXPLANATION = "解析秘密：首问负责制要求负责到底"
SECRET_REFERENCE = "参考答案秘密：先倾听再共鸣"
SECRET_BLANK = "秘密填空答案"


def bank_questions() -> list[Question]:
    """One question of each kind the exam page shows; keys are distinctive strings."""
    return [
        Question(
            type="single", stem="首问负责制要求第一位接待客户的员工（ ）。",
            options=[Option("A", "推给他人"), Option("B", "负责到底"), Option("C", "记录后挂断"),
                     Option("D", "让客户再打")],
            answer=["B"], explanation=SECRET_EXPLANATION, points=2,
        ),
        Question(
            type="multiple", stem="处理投诉的步骤包括（ ）。",
            options=[Option("A", "倾听"), Option("B", "争辩"), Option("C", "道歉"), Option("D", "推诿")],
            answer=["A", "C"], points=2,
        ),
        Question(type="true_false", stem="客户情绪激动时应当与其争辩。", answer=False, points=1),
        Question(
            type="fill_blank", stem="投诉处理四步：____、共鸣、道歉、____。",
            answer=[[SECRET_BLANK], ["解决"]], points=2,
        ),
        Question(
            type="short_answer", stem="简述处理客户投诉的要点。", answer=SECRET_REFERENCE,
            scoring_points=[ScoringPoint("倾听", 2), ScoringPoint("道歉", 1)], points=3,
        ),
    ]


@pytest.fixture
def questions(app):
    """The bank's questions (committed), in paper order."""
    bank = ensure_bank("考试测试题库")
    db.session.flush()
    stored = add_questions(bank, [(q, None) for q in bank_questions()])
    for question in stored:
        question.status = "ready"
    db.session.commit()
    return stored


@pytest.fixture
def paper(app):
    paper = Paper(title="考试测试试卷", kind="fixed")
    db.session.add(paper)
    db.session.commit()
    return paper


@pytest.fixture
def drawn(monkeypatch, questions) -> list[DrawnItem]:
    """Every attempt draws the bank's questions in order; tests may edit the list."""
    items = [
        DrawnItem(q.id, q.current_version_id, q.current_version.points,
                  "一、客观题" if q.type != "short_answer" else "二、主观题")
        for q in questions
    ]
    monkeypatch.setattr(
        "training.exams.attempts.draw_for_attempt", lambda paper, seed, formal: list(items)
    )
    return items


@pytest.fixture
def objective_only(drawn) -> list[DrawnItem]:
    del drawn[-1]
    return drawn


@pytest.fixture
def make_exam(app, paper, drawn) -> Callable[..., Any]:
    """Factory: make_exam(**settings) → an exam open now for the test company's employees."""

    def factory(assign_root: bool = True, **overrides: Any):
        now = utcnow()
        values: dict[str, Any] = {
            "paper_id": paper.id, "title": "客户服务测试考试", "kind": "formal",
            "opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=1),
            "time_limit_minutes": 30, "attempts_allowed": 1,
        }
        values.update(overrides)
        exam = create_exam(ExamSettings(**values), actor=None)
        db.session.flush()
        if assign_root:
            root = ensure_department("测试公司")
            db.session.flush()
            assign_exam(exam, targets([root.id], [], []), actor=None)
        db.session.commit()
        return exam

    return factory
