"""The database refuses values outside the enums, whichever code path writes them."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from training.bank.models import Question
from training.database import db
from training.exams.attempts import start_or_resume
from training.exams.models import Attempt, Exam, ExamKind, GradingMethod, ReviewWhen


@pytest.mark.parametrize(("column", "value"), [
    (Exam.kind, "exam"),
    (Exam.grading_method, "best"),
    (Exam.review_when, "later"),
    (Exam.navigation, "linear"),
    (Exam.multiple_rule, "some"),
    (Attempt.finish_reason, "timeout"),
    (Question.status, "deleted"),
    (Question.type, "单选"),
])
def test_a_value_outside_the_enum_is_refused(make_exam, make_user, column, value):
    start_or_resume(make_user(), make_exam().id)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(update(column.class_).values({column.key: value}))
    db.session.rollback()


def test_enum_members_are_stored_as_their_plain_values(make_exam):
    exam = make_exam(kind=ExamKind.MOCK, grading_method=GradingMethod.LAST,
                     review_when=ReviewWhen.NEVER)
    db.session.expire_all()
    stored = db.session.get(Exam, exam.id)
    assert (stored.kind, stored.grading_method, stored.review_when) == ("mock", "last", "never")
