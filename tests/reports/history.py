"""A small history written straight into the tables the people, team and learning reports read:
exams with graded attempts at chosen instants and scores, practice answers on chosen days.

Rows are inserted directly (not through the exam flow) so a test states the very numbers a
report must count, at the very instants a period must include or leave out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from training.database import db
from training.exams.models import Attempt, Exam
from training.exams.services import assign_exam
from training.papers.models import Paper
from training.people.audience import targets
from training.people.services import ensure_department
from training.practice.models import PracticeAnswer

COMPANY = "测试公司"
CENTER = "测试公司/客服中心"
TEAM_ONE = "测试公司/客服中心/一组"
TEAM_TWO = "测试公司/客服中心/二组"


def exam(title: str, closes_at: datetime, *, assign: str = COMPANY, **settings: Any) -> Exam:
    """A formal exam whose window closes at `closes_at`, assigned to a department subtree."""
    paper = Paper(title=f"{title}试卷", kind="fixed")
    db.session.add(paper)
    db.session.flush()
    row = Exam(paper_id=paper.id, title=title, kind=settings.pop("kind", "formal"),
               opens_at=closes_at - timedelta(days=1), closes_at=closes_at,
               pass_mark=settings.pop("pass_mark", 60.0), **settings)
    db.session.add(row)
    db.session.flush()
    assign_exam(row, targets([ensure_department(assign).id], [], []), actor=None)
    db.session.commit()
    return row


def graded(exam: Exam, user: Any, percent: float, at: datetime, number: int = 1) -> Attempt:
    """A submitted, graded attempt scoring `percent` of 100 points."""
    attempt = Attempt(exam_id=exam.id, user_id=user.id, number=number, seed=number,
                      started_at=at - timedelta(minutes=30), deadline=at, submitted_at=at,
                      finish_reason="submitted", score=percent, max_score=100.0,
                      passed=percent >= exam.pass_mark, graded_at=at)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def practised(user: Any, question_id: int, version_id: int, at: datetime, *, right: bool) -> None:
    db.session.add(PracticeAnswer(user_id=user.id, question_id=question_id, version_id=version_id,
                                  response=None, correct=right, answered_at=at, mode="sequential"))
    db.session.commit()
