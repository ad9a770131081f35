"""The attempt item analysis counts per examinee is the one `final_result` counts (the latest
when the exam averages), in SQL as in Python."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.exams.helpers import sit_exam
from training.database import db
from training.exams.grading import counted_attempts, final_result
from training.exams.models import Attempt


@pytest.mark.parametrize("method", ["highest", "last", "first", "average"])
def test_counted_attempt_agrees_with_final_result(make_exam, make_user, objective_only, method):
    exam = make_exam(attempts_allowed=3, grading_method=method)
    person = make_user()
    for answers in ({1: ["A"]}, {1: ["B"], 3: False}, {1: ["B"]}):  # 0, 3 and 2 of 7 points
        sit_exam(exam, person, answers)
    attempts = list(db.session.scalars(select(Attempt).where(Attempt.exam_id == exam.id)))
    counted = db.session.execute(counted_attempts(Attempt.exam_id == exam.id)).one()
    expected = final_result(exam, attempts).attempt
    if method == "average":
        assert expected is None and counted.id == max(attempts, key=lambda a: a.number).id
    else:
        assert counted.id == expected.id
    assert {"highest": 2, "last": 3, "first": 1}.get(method, 3) == db.session.get(
        Attempt, counted.id).number
