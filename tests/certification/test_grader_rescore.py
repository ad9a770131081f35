"""A grader's mark completes an attempt (the grading event certifies); a grader's later
correction that takes the pass away flags the certificate for HR instead of revoking it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.certification.conftest import ALL_RIGHT
from tests.exams.helpers import sit_exam
from training.certification import rules
from training.certification.lifecycle import Status
from training.certification.models import CertStatus
from training.database import db, utcnow
from training.exams.grading import change_score, grade_answer
from training.exams.models import Answer


def test_a_graders_mark_certifies_and_a_correction_flags(make_exam, make_level, make_user):
    now = utcnow()
    exam = make_exam(opens_at=now - timedelta(days=1), attempts_allowed=None)  # with an essay
    level = make_level(rules.ExamPassed(exam.id, min_percent=80), validity_months=12)
    user, trainer = make_user(), make_user(roles=("trainer",))
    attempt = sit_exam(exam, user, {**ALL_RIGHT, 5: "先倾听，再道歉"})
    essay = db.session.scalar(select(Answer).filter_by(attempt_id=attempt.id, needs_manual=True))
    assert attempt.graded_at is None  # the essay awaits its grader: nothing evaluated yet
    assert db.session.scalar(select(CertStatus).filter_by(user_id=user.id)) is None
    grade_answer(essay, 3, "", actor=trainer, now=utcnow())
    db.session.commit()
    row = db.session.scalar(select(CertStatus).filter_by(user_id=user.id, level_id=level.id))
    assert row.status == Status.CERTIFIED
    change_score(essay, 0, "", "复核：未答到要点", actor=trainer, now=utcnow())
    db.session.commit()
    db.session.expire_all()
    row = db.session.scalar(select(CertStatus).filter_by(user_id=user.id, level_id=level.id))
    assert row.status == Status.CERTIFIED and row.flagged_at is not None
