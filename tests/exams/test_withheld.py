"""The withheld-questions rule seen from exams: its SQL agrees with the review policy, and
another exam's review (API and page) never tells the key a formal exam still hides."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from tests.exams.conftest import SECRET_EXPLANATION
from training.database import db, utcnow
from training.exams.attempts import start_or_resume, submit
from training.exams.availability import last_close
from training.exams.models import Attempt, Exam, ExamOverride
from training.exams.serialise import visibility
from training.exams.withheld import answers_shown

KEY_FIELDS = {"answer", "explanation", "correct", "points_awarded", "comment"}


def test_answers_shown_in_sql_agrees_with_the_review_policy(make_exam, make_user):
    first, second = make_user(), make_user()
    exams = [
        make_exam(title=f"{when}-{answers}", review_when=when, review_answers=answers)
        for when in ("immediately", "after_close", "never") for answers in (True, False)
    ]
    late = exams[2]  # after_close with answers: one examinee's window closes a day later
    db.session.add(ExamOverride(exam_id=late.id, user_id=second.id,
                                closes_at=late.closes_at + timedelta(days=1)))
    for exam in exams:
        submit(start_or_resume(first, exam.id))
        start_or_resume(second, exam.id)
    db.session.commit()
    attempts = db.session.scalars(select(Attempt)).all()
    for now in (utcnow(), late.closes_at + timedelta(hours=1), late.closes_at + timedelta(days=2)):
        in_sql = set(db.session.scalars(
            select(Attempt.id).join(Exam, Attempt.exam_id == Exam.id).where(answers_shown(now))
        ))
        in_python = {a.id for a in attempts
                     if visibility(a.exam, a, now, last_close(a.exam)).answers}
        assert in_sql == in_python, now
    assert in_python  # the grid reaches both outcomes


def test_a_mock_taken_during_a_formal_attempt_does_not_review_the_shared_keys(
    client, login_as, make_exam
):
    user = login_as("employee")
    formal = make_exam(review_when="after_close", review_answers=True, review_explanations=True)
    formal_attempt = start_or_resume(user, formal.id)
    mock = make_exam(kind="mock", title="模拟考试", attempts_allowed=None,
                     review_when="immediately", review_answers=True, review_explanations=True)
    mock_attempt = submit(start_or_resume(user, mock.id))
    db.session.commit()

    body = client.get(f"/api/v1/attempts/{mock_attempt.id}").get_json()
    assert body["review"] and all(not KEY_FIELDS & set(item) for item in body["review"])
    assert SECRET_EXPLANATION not in str(body)
    page = client.get(f"/exams/attempts/{mock_attempt.id}/result").get_data(as_text=True)
    assert SECRET_EXPLANATION not in page and 'data-testid="review-withheld"' in page
    assert "正确答案" not in page

    submit(formal_attempt)
    db.session.commit()
    with time_machine.travel(formal.closes_at + timedelta(minutes=1), tick=False):
        body = client.get(f"/api/v1/attempts/{mock_attempt.id}").get_json()
        page = client.get(f"/exams/attempts/{mock_attempt.id}/result").get_data(as_text=True)
    assert body["review"][0]["explanation"] == SECRET_EXPLANATION
    assert SECRET_EXPLANATION in page and 'data-testid="review-withheld"' not in page
