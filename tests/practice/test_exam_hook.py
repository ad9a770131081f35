"""Wrong exam answers reach the wrong book when the review shows them, however the attempt
finished (page, API, sweeper) and whether or not anybody opens its result page."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tests.exams.conftest import drawn, make_exam, paper, questions  # noqa: F401  (fixtures)
from training.database import db, utcnow
from training.exams.attempts import save_answer, start_or_resume, submit, sweep_expired
from training.jobs import run_jobs
from training.practice.models import WrongBookEntry
from training.practice.services import fill_wrong_book


def _answer(attempt, questions, now=None):  # noqa: F811
    single, multiple, true_false, _fill, _essay = questions
    save_answer(attempt, single.id, ["A"], 1, now=now)
    save_answer(attempt, multiple.id, ["A", "C"], 2, now=now)
    save_answer(attempt, true_false.id, True, 3, now=now)


def _sit(exam, user, questions):  # noqa: F811
    attempt = start_or_resume(user, exam.id)
    _answer(attempt, questions)
    submit(attempt)
    db.session.commit()
    return attempt


def _book(user_id: int) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(select(WrongBookEntry.question_id).where(
        WrongBookEntry.user_id == user_id, WrongBookEntry.removed_at.is_(None))))


def _wrong(questions) -> set[int]:  # noqa: F811
    single, _multiple, true_false, fill, _essay = questions
    return {single.id, true_false.id, fill.id}


def test_submitting_files_the_wrong_objective_answers_once(make_exam, make_user, questions):  # noqa: F811
    exam = make_exam(review_when="immediately", review_answers=True)
    user = make_user()
    attempt = _sit(exam, user, questions)
    assert _book(user.id) == _wrong(questions)
    assert attempt.wrong_book_filled_at is not None
    assert fill_wrong_book(attempt) == 0  # idempotent: filled once per attempt
    assert run_jobs()["fill_due_wrong_books"] == 0
    assert set(db.session.scalars(select(WrongBookEntry.source))) == {"exam"}


def test_nothing_is_filed_while_review_hides_the_answers(make_exam, make_user, questions):  # noqa: F811
    exam = make_exam(review_when="immediately", review_answers=False)
    user = make_user()
    attempt = _sit(exam, user, questions)
    assert fill_wrong_book(attempt) == 0
    assert _book(user.id) == set()


def test_an_attempt_submitted_through_the_api_fills_the_book(
    client, make_exam, make_user, questions,  # noqa: F811
):
    exam = make_exam(review_when="immediately", review_answers=True)
    user = make_user()
    attempt = start_or_resume(user, exam.id)
    _answer(attempt, questions)
    db.session.commit()
    client.post("/api/v1/login", json={"username": user.username, "password": TEST_PASSWORD})
    assert client.post(f"/api/v1/attempts/{attempt.id}/submit").status_code == 200
    assert _book(user.id) == _wrong(questions)


def test_an_attempt_closed_by_the_sweeper_fills_the_book(make_exam, make_user, questions):  # noqa: F811
    exam = make_exam(review_when="immediately", review_answers=True, time_limit_minutes=10)
    user = make_user()
    started = utcnow() - timedelta(minutes=11)
    attempt = start_or_resume(user, exam.id, now=started)
    _answer(attempt, questions, now=started)
    db.session.commit()
    assert sweep_expired() == 1
    db.session.commit()
    assert _book(user.id) == _wrong(questions)


def test_review_after_the_close_fills_the_book_at_the_close_without_a_page_view(
    make_exam, make_user, questions,  # noqa: F811
):
    exam = make_exam(review_when="after_close", review_answers=True,
                     closes_at=utcnow() + timedelta(hours=2))
    user = make_user()
    attempt = _sit(exam, user, questions)
    assert run_jobs()["fill_due_wrong_books"] == 0
    assert _book(user.id) == set()  # the key is still secret: others may be sitting
    with time_machine.travel(utcnow() + timedelta(hours=3)):
        assert run_jobs()["fill_due_wrong_books"] == 1
        assert run_jobs()["fill_due_wrong_books"] == 0
    assert _book(user.id) == _wrong(questions)
    assert db.session.get(type(attempt), attempt.id).wrong_book_filled_at is not None


def test_a_request_after_the_close_runs_the_jobs(client, make_exam, make_user, questions):  # noqa: F811
    exam = make_exam(review_when="after_close", review_answers=True,
                     closes_at=utcnow() + timedelta(hours=2))
    user = make_user()
    _sit(exam, user, questions)
    client.get("/login")  # this process's jobs now ran: not due again for a minute
    with time_machine.travel(utcnow() + timedelta(hours=3)):
        assert client.get("/login").status_code == 200
    assert _book(user.id) == _wrong(questions)


def test_a_regrade_that_makes_a_right_answer_wrong_files_it(make_exam, make_user, questions):  # noqa: F811
    from tests.exams.test_regrade import fix_key
    from training.exams.regrade import apply_regrade

    exam = make_exam(review_when="immediately", review_answers=True)
    user = make_user()
    _sit(exam, user, questions)  # the multiple-choice A+C is right under the key as set
    single, multiple, *_rest = questions
    assert multiple.id not in _book(user.id)
    card = db.session.scalars(select(WrongBookEntry.card).where(
        WrongBookEntry.user_id == user.id, WrongBookEntry.question_id == single.id)).one()
    fix_key(multiple, ["A", "B", "C"])  # the key was missing B: A+C is wrong now
    apply_regrade(exam, actor=make_user(roles=("trainer",)))
    db.session.commit()
    assert _book(user.id) == _wrong(questions) | {multiple.id}
    assert db.session.scalars(select(WrongBookEntry.card).where(  # no second lapse for the rest
        WrongBookEntry.user_id == user.id, WrongBookEntry.question_id == single.id)).one() == card
