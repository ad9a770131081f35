"""Drawing attempts before an exam opens, so that Start at the opening minute draws nothing.

When a thousand examinees press Start in the same ten seconds, drawing each paper (the rules,
the bank's pool, the question faces) is what Start costs. `prepare` does that work ahead of
time: for each examinee the exam reaches who may still start an attempt, it draws the next
attempt with its own seed, exactly as Start would (`_draw`), and stores the rows in
`prepared_draw`/`prepared_question`, with the questions as Start's response lists them. Start
then copies them into the attempt inside the database (`take_prepared_draw`), stamps its start
and deadline, and sends the stored questions as they are.

The draws live in tables of their own, not as attempts not yet started: every list, history,
report and attempt-limit check reads `attempt`, so a prepared draw is invisible to all of them
with no filter to forget, and answer keys stay where they always are (the bank). A draw is used
only while it is current (`current_prepared_draw`): editing the exam or its paper, or one of
the drawn questions, makes Start draw live, and the next `prepare` redraws it; a draw whose
attempt exists is spent and goes at the next `prepare` or once the exam has closed. `prepare` is
idempotent: current draws stay as they are, so cron may run it every minute, from several
servers (a unique constraint keeps one draw per examinee and exam).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select

from training.audit.services import record
from training.bank.services import mark_used
from training.database import db, dialect_insert, insert_rows, utcnow
from training.exams.attempts import _draw, usable_prepared_draws
from training.exams.models import (
    Attempt,
    Exam,
    PreparedDraw,
    PreparedQuestion,
)
from training.exams.serialise import drawn_questions_json
from training.papers.services import pools_reused
from training.people.models import DEPARTMENT_SEPARATOR, Department, User


@dataclass(frozen=True)
class PrepareReport:
    """What one `prepare` did: draws made, draws already current, stale draws replaced."""

    exam_id: int
    drawn: int
    kept: int
    replaced: int


def examinees(exam: Exam) -> Select[tuple[int]]:
    """SQL: ids of the active users the exam reaches (as `assigned_exam_ids` decides per user)."""
    people = [a.user_id for a in exam.assignments if a.user_id is not None]
    subtrees = [
        or_(Department.path == a.department.path,
            Department.path.startswith(a.department.path + DEPARTMENT_SEPARATOR))
        for a in exam.assignments if a.department is not None
    ]
    return (
        select(User.id).outerjoin(User.department)
        .where(User.active.is_(True), or_(User.id.in_(people), *subtrees))
        .order_by(User.id)
    )


def _next_numbers(exam: Exam) -> dict[int, int]:
    """Per reached examinee who may still start one, the number of their next attempt."""
    used = dict(db.session.execute(
        select(Attempt.user_id, func.max(Attempt.number))
        .where(Attempt.exam_id == exam.id).group_by(Attempt.user_id)
    ).all())
    limit = exam.attempts_allowed
    return {
        user_id: used.get(user_id, 0) + 1
        for user_id in db.session.scalars(examinees(exam))
        if limit is None or used.get(user_id, 0) < limit
    }


def _current_draws(exam: Exam, numbers: dict[int, int]) -> tuple[set[int], int]:
    """Users whose prepared draw is still usable; the stale draws are deleted (and counted)."""
    prepared = set(db.session.scalars(
        select(PreparedDraw.user_id).where(PreparedDraw.exam_id == exam.id)))
    current = {
        user_id for user_id, number in db.session.execute(
            usable_prepared_draws(PreparedDraw.user_id, PreparedDraw.number)
            .where(PreparedDraw.exam_id == exam.id)
        ) if numbers.get(user_id) == number
    }
    stale = prepared - current
    if stale:
        db.session.execute(delete(PreparedDraw).where(
            PreparedDraw.exam_id == exam.id, PreparedDraw.user_id.in_(stale)))
    return current, len(stale)


def _prepare_one(exam: Exam, user_id: int, number: int, now: datetime) -> bool:
    """Draw one examinee's next attempt; False when another `prepare` stored one first."""
    seed = secrets.randbelow(2**31)
    drawn = _draw(exam, seed)
    table = PreparedDraw.__table__
    draw_id = db.session.execute(
        dialect_insert(table).values(
            exam_id=exam.id, user_id=user_id, number=number, seed=seed,
            max_score=round(sum(row["points"] for row in drawn.rows), 2),
            exam_updated_at=exam.updated_at, paper_id=exam.paper_id,
            paper_updated_at=exam.paper.updated_at, prepared_at=now,
            questions_json=drawn_questions_json(drawn.rows),
        ).on_conflict_do_nothing(index_elements=[table.c.exam_id, table.c.user_id])
        .returning(table.c.id)
    ).scalar_one_or_none()
    if draw_id is None:
        return False
    insert_rows(PreparedQuestion.__table__, [{**row, "draw_id": draw_id} for row in drawn.rows])
    # Frozen now, as Start would: an edit after this makes a new version (and the draw stale).
    mark_used(drawn.unlocked_versions)
    return True


def prepare(exam: Exam, now: datetime | None = None, *, actor: Any = None) -> PrepareReport:
    """Draw the next attempt of every examinee the exam reaches; current draws are kept.

    Raises ExamRefused (as Start would) when the paper cannot be drawn. Callers commit.
    """
    now = now or utcnow()
    numbers = _next_numbers(exam)
    current, replaced = _current_draws(exam, numbers)
    with pools_reused():
        drawn = sum(
            _prepare_one(exam, user_id, number, now)
            for user_id, number in numbers.items() if user_id not in current
        )
    record(actor, "exam.draws_prepared", exam, drawn=drawn, kept=len(current), stale=replaced)
    return PrepareReport(exam.id, drawn, len(current), replaced)


def prepared_count(exam: Exam) -> int:
    """How many examinees have a current prepared draw for the exam (the trainer's notice)."""
    return db.session.scalar(usable_prepared_draws(func.count(PreparedDraw.id))
                             .where(PreparedDraw.exam_id == exam.id))


def exams_opening_within(minutes: int, now: datetime | None = None) -> list[Exam]:
    """Exams not open yet that open in the next `minutes`: what cron prepares."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(Exam).where(Exam.opens_at > now, Exam.opens_at <= now + timedelta(minutes=minutes))
        .order_by(Exam.opens_at, Exam.id)
    ))
