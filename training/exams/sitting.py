"""The examinee's exam-day writes that commit at once, before the response is built.

Every other write waits for the request's one commit (training/unit_of_work.py). Start and
autosave are exam day's hot paths, and SQLite holds its single write lock from a request's
first write to its commit: reading the answers back or building the JSON while holding it would
queue every other examinee behind. So these commit as soon as their write is done. Submit
commits too, because an attempt the deadline closed is answered with an error status (which
rolls the request back) yet must stay closed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training.database import db, utcnow
from training.exams.attempts import Started, attempt_for, save_answer_of, submit
from training.exams.attempts import start as start_attempt
from training.exams.models import Attempt
from training.people.models import User


def start(
    user: User, exam_id: int, *, password: str | None, address: str | None,
    now: datetime | None = None,
) -> Started:
    """`attempts.start`, committed.

    An attempt just made from a prepared draw is taken out of the session before the commit,
    so its response is built from what the INSERT returned instead of reading it back.
    """
    started = start_attempt(user, exam_id, password=password, address=address, now=now)
    if started.questions_json is not None:
        db.session.expunge(started.attempt)
    db.session.commit()
    return started


def save(user: User, attempt_id: int, question_id: int, raw: Any, seq: Any, *,
         address: str | None) -> int:
    """`save_answer_of`, committed; returns the stored seq."""
    stored = save_answer_of(user, attempt_id, question_id, raw, seq, address=address)
    db.session.commit()
    return stored


def hand_in(user: User, attempt_id: int, *, address: str | None, now: datetime | None = None
            ) -> Attempt:
    """Submit the user's attempt (or close it at its deadline), committed."""
    now = now or utcnow()
    attempt = submit(attempt_for(user, attempt_id, now), address=address, now=now)
    db.session.commit()
    return attempt
