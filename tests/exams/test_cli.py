"""`servicecoach exam sweep`, the cron side of closing abandoned attempts."""

from __future__ import annotations

from datetime import timedelta

from training.cli import main
from training.database import db, utcnow
from training.exams.attempts import start_or_resume
from training.exams.models import Attempt


def test_sweep_command_closes_abandoned_attempts(app, make_exam, make_user):
    exam = make_exam(time_limit_minutes=10)
    abandoned = start_or_resume(make_user(), exam.id, now=utcnow() - timedelta(minutes=11))
    running = start_or_resume(make_user(), exam.id)
    db.session.commit()
    result = app.test_cli_runner().invoke(main, ["exam", "sweep"], catch_exceptions=False)
    assert result.output.strip() == "closed 1 attempt(s)"
    db.session.expire_all()
    assert db.session.get(Attempt, abandoned.id).finish_reason == "auto_closed"
    assert db.session.get(Attempt, running.id).submitted_at is None
