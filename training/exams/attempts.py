"""Sitting an exam: start or resume, autosave, submit, focus events and the sweeper.

Every write here is safe to repeat. Start and the first save of an answer race on unique
constraints and fall back to the row the winner wrote; later saves carry the browser's
sequence number so a late, reordered request never overwrites a newer answer; submitting a
finished attempt returns it unchanged. Rows are locked (`FOR UPDATE` on PostgreSQL) while a
save or submit checks the attempt's state, so a save cannot slip in after the submit.
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from training.audit.services import record
from training.bank.models import QuestionVersion
from training.bank.services import mark_used
from training.database import db, utcnow
from training.errors import DomainError, NotFound
from training.exams.availability import (
    check_can_start,
    check_network,
    deadline_for,
    last_close,
    status_for,
)
from training.exams.errors import ExamRefused, InvalidResponse, already_submitted, deadline_passed
from training.exams.grading import grade_attempt
from training.exams.models import (
    EVENT_KINDS,
    Answer,
    Attempt,
    AttemptEvent,
    AttemptQuestion,
    Exam,
)
from training.exams.serialise import CHOICE_TYPES, Visibility, to_stored, visibility
from training.papers.services import draw_for_attempt
from training.people.models import User

MAX_SEQ = 2**31 - 1


def _lock(attempt: Attempt) -> Attempt:
    """Re-read the attempt row under a lock that lasts until the request commits."""
    return db.session.scalars(
        select(Attempt).where(Attempt.id == attempt.id).with_for_update().execution_options(
            populate_existing=True
        )
    ).one()


def attempt_for(user: User, attempt_id: int, now: datetime | None = None) -> Attempt:
    """The user's own attempt, closed first if it was abandoned; anyone else's is NotFound."""
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user.id)
    )
    if attempt is None:
        raise NotFound(_("答卷不存在"))
    close_if_abandoned(attempt, now or utcnow())
    return attempt


def open_attempt(exam: Exam, user: User, now: datetime) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.exam_id == exam.id, Attempt.user_id == user.id, Attempt.open_at(now)
        )
    )


def start_or_resume(
    user: User,
    exam_id: int,
    *,
    password: str | None = None,
    address: str | None = None,
    now: datetime | None = None,
) -> Attempt:
    """The user's open attempt, or a new one when the rules allow: pressing twice gives one."""
    now = now or utcnow()
    status = status_for(user, exam_id, now)
    exam = status.exam
    if sweep_expired(now, exam=exam, user=user):
        status = status_for(user, exam_id, now)
    current = status.open_attempt
    if current is not None:
        check_network(exam, address)
        return current
    check_can_start(status, password, address)
    number = (db.session.scalar(
        select(func.max(Attempt.number)).where(
            Attempt.exam_id == exam.id, Attempt.user_id == user.id
        )
    ) or 0) + 1
    try:
        with db.session.begin_nested():
            attempt = Attempt(
                exam_id=exam.id,
                user_id=user.id,
                number=number,
                seed=secrets.randbelow(2**31),
                started_at=now,
                deadline=deadline_for(exam, status.window, now),
            )
            db.session.add(attempt)
            db.session.flush()
            _draw(attempt, exam)
            record(user, "exam.attempt_started", attempt, exam_id=exam.id, number=number)
    except IntegrityError:  # another tab or device won the race: use its attempt
        winner = db.session.scalar(
            select(Attempt).filter_by(exam_id=exam.id, user_id=user.id, number=number)
        )
        if winner is None:
            raise
        return winner
    return attempt


def _draw(attempt: Attempt, exam: Exam) -> None:
    """Place the paper's draw in the attempt: seeded order and option order, versions frozen."""
    try:
        items = draw_for_attempt(exam.paper, attempt.seed, formal=exam.kind == "formal")
    except ExamRefused:
        raise
    except DomainError as error:
        raise ExamRefused("paper_unusable", error.message) from error
    if not items:
        raise ExamRefused("empty_paper", _("试卷中没有可用的题目，请联系培训师。"))
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(QuestionVersion).where(QuestionVersion.id.in_([i.version_id for i in items]))
        )
    }
    rng = random.Random(attempt.seed)
    if exam.shuffle_questions:  # within each section, keeping 一、二、三… in order
        sections = [list(group) for _title, group in groupby(items, key=lambda i: i.section_title)]
        for section in sections:
            rng.shuffle(section)
        items = [item for section in sections for item in section]
    rows = []
    for ordinal, item in enumerate(items, 1):
        version = versions[item.version_id]
        labels = [option["label"] for option in version.options or []]
        if exam.shuffle_options and version.type in CHOICE_TYPES:
            rng.shuffle(labels)
        rows.append({
            "attempt_id": attempt.id,
            "ordinal": ordinal,
            "question_id": item.question_id,
            "version_id": version.id,
            "points": item.points,
            "section_title": item.section_title,
            "option_order": labels,
        })
    # One multi-row INSERT instead of a hundred ORM objects: the start burst of exam day is
    # bound by this (bench/exam_day.py); `attempt.questions` loads the rows when first read.
    db.session.execute(insert(AttemptQuestion.__table__), rows)
    attempt.max_score = round(sum(row["points"] for row in rows), 2)
    mark_used(list(versions.values()))
    db.session.flush()


def _check_open(attempt: Attempt, now: datetime) -> None:
    state = attempt.state_at(now)
    if state == "expired" or attempt.finish_reason == "auto_closed":
        raise deadline_passed()
    if state != "in_progress":
        raise already_submitted()


def save_answer(
    attempt: Attempt,
    question_id: int,
    raw: Any,
    seq: Any,
    *,
    address: str | None = None,
    now: datetime | None = None,
) -> int:
    """Upsert one answer unless a newer one (higher seq) is stored; returns the stored seq."""
    now = now or utcnow()
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= MAX_SEQ:
        raise InvalidResponse("invalid_seq", _("seq 必须是正整数。"))
    attempt = _lock(attempt)
    _check_open(attempt, now)
    check_network(attempt.exam, address)
    question = db.session.scalar(
        select(AttemptQuestion).filter_by(attempt_id=attempt.id, question_id=question_id)
    )
    if question is None:
        raise NotFound(_("本答卷中没有这道题"))
    if attempt.exam.navigation == "sequential" and question.ordinal < attempt.position:
        raise ExamRefused("question_closed", _("本场考试按顺序作答，已离开的题目不能再修改。"))
    response = to_stored(question, raw)
    answer = _answer_row(attempt, question)
    if seq <= answer.seq:
        return answer.seq  # a late request: the newer answer stays
    answer.response, answer.seq, answer.saved_at = response, seq, now
    attempt.save_count += 1
    attempt.position = max(attempt.position, question.ordinal)
    return seq


def _answer_row(attempt: Attempt, question: AttemptQuestion) -> Answer:
    """The answer row of a question, created on first save (a racing twin gets the winner's)."""
    existing = db.session.scalar(
        select(Answer).filter_by(attempt_id=attempt.id, question_id=question.question_id)
    )
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            answer = Answer(
                attempt_id=attempt.id,
                attempt_question_id=question.id,
                question_id=question.question_id,
                seq=0,
            )
            db.session.add(answer)
    except IntegrityError:
        return db.session.scalars(
            select(Answer)
            .filter_by(attempt_id=attempt.id, question_id=question.question_id)
            .execution_options(populate_existing=True)
        ).one()
    return answer


def submit(attempt: Attempt, *, address: str | None = None, now: datetime | None = None) -> Attempt:
    """Hand in and grade; submitting again returns the finished attempt unchanged.

    An attempt abandoned past its deadline is closed as of the deadline instead (the caller
    reports that: `finish_reason == 'auto_closed'`).
    """
    now = now or utcnow()
    attempt = _lock(attempt)
    state = attempt.state_at(now)
    if state == "expired":
        _close(attempt, now)
        return attempt
    if state != "in_progress":
        return attempt
    check_network(attempt.exam, address)
    attempt.submit(now)
    grade_attempt(attempt, now)
    record(
        attempt.user, "exam.attempt_submitted", attempt,
        saves=attempt.save_count, score=attempt.score, pending=attempt.graded_at is None,
    )
    return attempt


def _close(attempt: Attempt, now: datetime) -> None:
    attempt.expire(now)
    grade_attempt(attempt, now)
    record(
        None, "exam.attempt_auto_closed", attempt,
        deadline=attempt.deadline.isoformat(), saves=attempt.save_count, score=attempt.score,
    )


def close_if_abandoned(attempt: Attempt, now: datetime) -> bool:
    """Lazily close one attempt read after its deadline + grace."""
    if attempt.state_at(now) != "expired":
        return False
    attempt = _lock(attempt)
    if attempt.state_at(now) != "expired":
        return False
    _close(attempt, now)
    return True


def sweep_expired(
    now: datetime | None = None, *, exam: Exam | None = None, user: User | None = None
) -> int:
    """Close every attempt abandoned past its deadline (+ grace), finished at the deadline."""
    now = now or utcnow()
    stmt = select(Attempt).where(Attempt.abandoned_at(now)).order_by(Attempt.id)
    if exam is not None:
        stmt = stmt.where(Attempt.exam_id == exam.id)
    if user is not None:
        stmt = stmt.where(Attempt.user_id == user.id)
    closed = 0
    for attempt in db.session.scalars(stmt.with_for_update(skip_locked=True)).all():
        _close(attempt, now)
        closed += 1
    return closed


def record_event(
    attempt: Attempt, kind: str, client_at: Any = None, *, now: datetime | None = None
) -> AttemptEvent:
    """Store a focus-loss (or similar) event for the trainer; it never changes the score."""
    if kind not in EVENT_KINDS:
        raise InvalidResponse("invalid_event", _("未知的事件类型。"))
    _check_open(attempt, now or utcnow())
    event = AttemptEvent(
        attempt_id=attempt.id, kind=kind, at=now or utcnow(), client_at=_client_time(client_at)
    )
    db.session.add(event)
    return event


def _client_time(value: Any) -> datetime | None:
    """The browser's own timestamp (milliseconds since the epoch), kept for reference only."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def review_visibility(attempt: Attempt, now: datetime) -> Visibility:
    """What the examinee may see of this attempt now, under the exam's review policy."""
    return visibility(attempt.exam, attempt, now, last_close(attempt.exam))
