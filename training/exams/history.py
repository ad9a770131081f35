"""An examinee's history: every finished attempt, and the score trend the review policy allows.

A score appears only when the exam's review policy shows it to the examinee now (`visibility`):
an after-close exam's scores stay hidden until its last examinee's window has closed, so
neither the list nor the chart can tell anyone a score early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from training.database import db
from training.exams.availability import last_closes
from training.exams.models import Attempt, Exam, ReviewWhen
from training.exams.serialise import Visibility, examinee_state, visibility
from training.people.models import User

TREND_POINTS = 30  # the chart shows the latest scores; the list pages through all of them


@dataclass(frozen=True)
class HistoryEntry:
    """One finished attempt as its examinee may see it now."""

    attempt: Attempt
    seen: Visibility
    state: str  # as the API reports it: a hidden score reads 'submitted'

    @property
    def shows_score(self) -> bool:
        return self.seen.score and self.attempt.graded_at is not None


@dataclass(frozen=True)
class TrendPoint:
    """One visible score on the trend chart."""

    at: datetime
    title: str
    percent: float
    pass_mark: float
    exam_id: int
    kind: str


def finished_attempts(user: User) -> Select[tuple[Attempt]]:
    """The user's finished attempts with their exams, newest first."""
    return (
        select(Attempt)
        .join(Attempt.exam)
        .options(contains_eager(Attempt.exam))
        .where(Attempt.user_id == user.id, Attempt.submitted_at.is_not(None))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )


def history_entries(attempts: list[Attempt], now: datetime) -> list[HistoryEntry]:
    """The attempts with what the review policy shows of each (one query for the windows)."""
    closes = last_closes(list({attempt.exam_id: attempt.exam for attempt in attempts}.values()))
    entries = []
    for attempt in attempts:
        seen = visibility(attempt.exam, attempt, now, closes[attempt.exam_id])
        entries.append(HistoryEntry(attempt, seen, examinee_state(attempt, now, seen)))
    return entries


def score_trend(user: User, now: datetime, limit: int = TREND_POINTS) -> list[TrendPoint]:
    """The latest `limit` scores the user may see, oldest first."""
    graded = finished_attempts(user).where(
        Attempt.graded_at.is_not(None), Exam.review_score.is_(True), Exam.review_when != ReviewWhen.NEVER
    )
    shown = [e for e in history_entries(list(db.session.scalars(graded)), now) if e.shows_score]
    return [
        TrendPoint(
            e.attempt.submitted_at, e.attempt.exam.title, e.attempt.percent,  # type: ignore[arg-type]
            e.attempt.exam.pass_mark, e.attempt.exam_id, e.attempt.exam.kind,
        )
        for e in reversed(shown[:limit])
    ]
