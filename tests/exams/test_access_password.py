"""An exam's access password cannot be guessed at server speed, and every wrong one is logged."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from training.audit.models import AuditEvent
from training.database import db, utcnow

EXAM_PASSWORD = "kaochang-7"


def api_start(client, exam_id: int, password: str):
    return client.post(f"/api/v1/exams/{exam_id}/attempts", json={"password": password})


def api_signed_in(app, user):
    client = app.test_client()
    body = {"username": user.username, "password": TEST_PASSWORD}
    assert client.post("/api/v1/login", json=body).status_code == 200
    return client


def failures_logged() -> list[tuple[int | None, int | None]]:
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).filter_by(action="exam.password_failed"))
    return [(e.actor_id, e.target_id) for e in events]


def test_wrong_guesses_lock_the_exam_for_that_user_only(app, make_user, make_exam):
    exam, other_exam = make_exam(password=EXAM_PASSWORD), make_exam(password=EXAM_PASSWORD)
    guesser, colleague = make_user(), make_user()
    client = api_signed_in(app, guesser)
    for guess in range(5):
        wrong = api_start(client, exam.id, f"guess-{guess}")
        assert wrong.status_code == 403 and wrong.get_json()["error"] == "wrong_password"
    locked = api_start(client, exam.id, EXAM_PASSWORD)  # even the right password waits
    assert locked.status_code == 429
    assert locked.get_json()["error"] == "too_many_password_attempts"
    assert "错误次数过多" in locked.get_json()["message"]
    assert api_start(client, other_exam.id, EXAM_PASSWORD).status_code == 200
    assert api_start(api_signed_in(app, colleague), exam.id, EXAM_PASSWORD).status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        assert api_start(client, exam.id, EXAM_PASSWORD).status_code == 200


def test_wrong_guesses_are_audited_for_the_trainer(app, client, login_as, make_user, make_exam):
    exam = make_exam(password=EXAM_PASSWORD)
    guesser = make_user(display_name="猜密码的人")
    examinee = api_signed_in(app, guesser)
    api_start(examinee, exam.id, "nope-1")
    api_start(examinee, exam.id, "nope-2")
    assert failures_logged() == [(guesser.id, exam.id)] * 2
    login_as("trainer")
    page = client.get(f"/exams/manage/{exam.id}/attempts").get_data(as_text=True)
    assert 'data-testid="password-failures"' in page and "猜密码的人" in page


def test_the_web_start_form_counts_and_logs_wrong_guesses_too(client, login_as, make_exam):
    exam = make_exam(password=EXAM_PASSWORD)
    user = login_as("employee")
    for guess in range(5):
        client.post(f"/exams/{exam.id}/start", data={"password": f"guess-{guess}"})
    assert failures_logged() == [(user.id, exam.id)] * 5
    page = client.post(
        f"/exams/{exam.id}/start", data={"password": EXAM_PASSWORD}, follow_redirects=True
    ).get_data(as_text=True)
    assert "考试密码错误次数过多" in page
