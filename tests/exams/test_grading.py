"""Manual grading, results over attempts and what the review policy shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.exams.helpers import sit_exam
from training.audit.models import AuditEvent
from training.database import db, utcnow
from training.errors import DomainError
from training.exams.attempts import review_visibility, save_answer, start_or_resume, submit
from training.exams.errors import ExamRefused
from training.exams.grading import (
    answers_of,
    final_result,
    grade_answer,
    grading_queue,
    rule_of,
    suggest,
)
from training.exams.models import Attempt
from training.exams.serialise import EVERYTHING, NOTHING, Visibility, visibility
from training.exams.services import set_override


def sit(exam, user, right: bool = True) -> Attempt:
    """An open attempt with the first (single-choice) question answered."""
    return sit_exam(exam, user, {1: ["B"] if right else ["A"]}, hand_in=False)


def test_manual_grade_finalises_the_attempt_and_names_the_grader(make_exam, make_user):
    exam = make_exam(pass_mark=30)
    trainer = make_user(roles=("trainer",))
    attempt = sit(exam, make_user())
    essay = attempt.questions[4]
    save_answer(attempt, essay.question_id, "先倾听客户，然后道歉。", 1)
    submit(attempt)
    db.session.commit()
    queued = db.session.scalars(grading_queue(exam)).all()
    assert [a.question_id for a in queued] == [essay.question_id]
    answer = queued[0]
    assert suggest(essay, answer, rule_of(exam)).suggested_points == 3

    with pytest.raises(DomainError):
        grade_answer(answer, 4, "", actor=trainer, now=utcnow())  # more than the question's 3
    assert grade_answer(answer, 2.5, "要点基本齐全", actor=trainer, now=utcnow())
    db.session.commit()
    assert attempt.state_at(utcnow()) == "graded"
    assert (attempt.score, attempt.passed) == (4.5, True)
    assert answer.graded_by_id == trainer.id
    assert db.session.scalars(grading_queue(exam)).all() == []
    graded = db.session.scalars(select(AuditEvent).filter_by(action="exam.answer_graded")).one()
    assert graded.actor_id == trainer.id

    grade_answer(answer, 1, "复核后调整", actor=trainer, now=utcnow())
    assert attempt.score == 3
    assert db.session.scalars(select(AuditEvent).filter_by(action="exam.answer_regraded")).one()


def test_objective_answers_cannot_be_graded_by_hand(make_exam, make_user):
    exam = make_exam()
    attempt = sit(exam, make_user())
    submit(attempt)
    answer = answers_of(attempt)[attempt.questions[0].question_id]
    with pytest.raises(ExamRefused):
        grade_answer(answer, 0, "", actor=make_user(roles=("trainer",)), now=utcnow())


@pytest.mark.parametrize(
    ("method", "percent"), [("highest", 100.0), ("last", 28.57), ("first", 0.0), ("average", 42.86)]
)
def test_result_over_attempts_follows_the_grading_method(
    make_exam, make_user, objective_only, method, percent
):
    exam = make_exam(attempts_allowed=None, grading_method=method, kind="mock", pass_mark=40)
    user = make_user()
    responses = [
        {},
        {1: ["B"], 2: ["A", "C"], 3: False, 4: ["秘密填空答案", "解决"]},
        {1: ["B"]},
    ]
    for answers in responses:
        attempt = start_or_resume(user, exam.id)
        for ordinal, raw in answers.items():
            save_answer(attempt, attempt.questions[ordinal - 1].question_id, raw, 1)
        submit(attempt)
        db.session.commit()
    attempts = db.session.scalars(select(Attempt).order_by(Attempt.number)).all()
    assert [a.percent for a in attempts] == [0.0, 100.0, 28.57]
    result = final_result(exam, attempts)
    assert result.percent == percent
    assert result.passed is (percent >= 40)


def test_review_policy_decides_what_is_visible_and_when(make_exam, make_user):
    now = utcnow()
    closes = now + timedelta(hours=2)
    exam = make_exam(review_when="after_close", review_score=True, review_answers=True,
                     review_explanations=False, closes_at=closes)
    attempt = sit(exam, make_user())
    assert visibility(exam, attempt, now, closes) == NOTHING  # in progress: never anything
    submit(attempt)
    assert visibility(exam, attempt, now, closes) == NOTHING  # others may still be sitting
    assert visibility(exam, attempt, closes, closes) == Visibility(True, True, False)
    exam.review_when = "immediately"
    exam.review_explanations = True
    assert review_visibility(attempt, now) == EVERYTHING
    exam.review_when = "never"
    assert review_visibility(attempt, now) == NOTHING


def test_after_close_review_waits_for_the_latest_personal_window(make_exam, make_user):
    now = utcnow()
    exam = make_exam(review_when="after_close", closes_at=now + timedelta(hours=1))
    attempt = sit(exam, make_user())
    submit(attempt)
    set_override(exam, make_user(), 0, None, now + timedelta(hours=3), actor=None)
    db.session.commit()
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        assert review_visibility(attempt, utcnow()) == NOTHING  # a colleague is still sitting
    with time_machine.travel(now + timedelta(hours=3, minutes=1), tick=False):
        assert review_visibility(attempt, utcnow()).score
