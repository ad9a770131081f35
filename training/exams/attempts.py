"""Sitting an exam: start or resume, autosave, submit, focus events and the sweeper.

Every write here is safe to repeat. Start races on a unique constraint and falls back to the
attempt the winner wrote; a save is one upsert that carries the browser's sequence number, so
a late, reordered request never overwrites a newer answer; submitting a finished attempt
returns it unchanged. Rows are locked (`FOR UPDATE` on PostgreSQL) while a
save or submit checks the attempt's state, so a save cannot slip in after the submit.

Start uses the examinee's prepared draw when `servicecoach exam prepare` made one that is still
current (`training.exams.predraw`): the questions are copied in the database, nothing of the
paper or bank is read, and the deadline counts from the press of Start as always.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from itertools import groupby
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    Insert,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    insert,
    literal,
    select,
    update,
)

from question_bank.types import get_type
from training.audit.services import record
from training.bank.models import Question
from training.bank.services import mark_used
from training.database import db, dialect_insert, insert_rows, utcnow
from training.errors import DomainError, NotFound
from training.exams.availability import (
    check_address,
    check_can_start,
    check_network,
    deadline_for,
    last_close,
    status_for,
)
from training.exams.errors import ExamRefused, InvalidResponse, already_submitted, deadline_passed
from training.exams.faces import faces
from training.exams.grading import grade_attempt
from training.exams.models import (
    EVENT_KINDS,
    Answer,
    Attempt,
    AttemptEvent,
    AttemptQuestion,
    Exam,
    ExamOverride,
    PreparedDraw,
    PreparedQuestion,
    attempt_state,
    networks_in,
)
from training.exams.serialise import Visibility, to_stored, visibility
from training.exams.shown import COLUMNS, ShownQuestion, shown_from, shown_question
from training.papers.models import Paper
from training.papers.services import draw_for_attempt
from training.people.models import User

MAX_SEQ = 2**31 - 1
# Conditions other features put on starting a new attempt, each raising ExamRefused (courses:
# a lesson quiz waits for its lesson to unlock). Resuming an open attempt is not held by them.
START_RULES: list[Callable[[User, Exam, datetime], None]] = []
# What other features do once an attempt is finished (submitted or closed at its deadline),
# however that happened: page, API or sweeper (practice: the wrong-answer book).
ON_FINISH: list[Callable[[Attempt, datetime], None]] = []


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


@dataclass(frozen=True)
class Started:
    """What Start did: the attempt, and when it was just made from a prepared draw, the draw's
    questions as Start's response lists them (`PreparedDraw.questions_json`)."""

    attempt: Attempt
    questions_json: str | None = None


def start_or_resume(
    user: User,
    exam_id: int,
    *,
    password: str | None = None,
    address: str | None = None,
    now: datetime | None = None,
) -> Attempt:
    """The user's open attempt, or a new one when the rules allow: pressing twice gives one."""
    return start(user, exam_id, password=password, address=address, now=now).attempt


def start(
    user: User,
    exam_id: int,
    *,
    password: str | None = None,
    address: str | None = None,
    now: datetime | None = None,
) -> Started:
    """`start_or_resume`, saying whether the attempt came fresh from a prepared draw."""
    now = now or utcnow()
    status = status_for(user, exam_id, now)
    exam = status.exam
    if any(a.state_at(now) == "expired" for a in status.attempts):
        sweep_expired(now, exam=exam, user=user)
        status = status_for(user, exam_id, now)
    current = status.open_attempt
    if current is not None:
        check_network(exam, address)
        return Started(current)
    check_can_start(status, user, password, address)
    for rule in START_RULES:
        rule(user, exam, now)
    number = max((a.number for a in status.attempts), default=0) + 1
    # Everything is read before the first write: SQLite holds its single write lock from there
    # to the commit, so a Start's writes are four statements in a row (bench/start_profile.py).
    prepared = current_prepared_draw(exam.id, user.id, number)
    if prepared is None:
        seed = secrets.randbelow(2**31)
        drawn: Draw | None = _draw(exam, seed)
        max_score = round(sum(row["points"] for row in drawn.rows), 2)
    else:
        seed, max_score, drawn = prepared.seed, prepared.max_score, None
    attempt = _insert_attempt(
        exam_id=exam.id, user_id=user.id, number=number, seed=seed, started_at=now,
        deadline=deadline_for(exam, status.window, now), max_score=max_score,
    )
    if attempt is None:  # another tab or device won the race: use its attempt
        return Started(db.session.scalars(
            select(Attempt).filter_by(exam_id=exam.id, user_id=user.id, number=number)
        ).one())
    if prepared is not None:
        take_prepared_draw(attempt.id, prepared.id)
    elif drawn is not None:
        _place(attempt, drawn)
    record(user, "exam.attempt_started", attempt, exam_id=exam.id, number=number)
    return Started(attempt, prepared.questions_json if prepared is not None else None)


@cache
def _attempt_insert(dialect_name: str) -> Insert:
    """INSERT … ON CONFLICT (exam, user, number) DO NOTHING RETURNING the attempt, built once:
    pressing Start twice (two tabs, two devices) gives one attempt without a savepoint."""
    table = Attempt.__table__
    return (
        dialect_insert(Attempt, dialect_name)
        .on_conflict_do_nothing(index_elements=[table.c.exam_id, table.c.user_id, table.c.number])
        .returning(Attempt)
    )


def _insert_attempt(**values: Any) -> Attempt | None:
    """The new attempt as an ORM object (one statement), None when it exists already."""
    statement = _attempt_insert(db.session.get_bind().dialect.name)
    return db.session.scalars(statement.values(**values)).one_or_none()


@dataclass(frozen=True)
class Draw:
    """An attempt's questions before the attempt exists: rows for `attempt_question`."""

    rows: list[dict[str, Any]]
    unlocked_versions: list[int]


def _draw(exam: Exam, seed: int) -> Draw:
    """The paper's draw for a seed: question order and option order, as rows to insert."""
    try:
        items = draw_for_attempt(exam.paper, seed, formal=exam.kind == "formal")
    except ExamRefused:
        raise
    except DomainError as error:
        raise ExamRefused("paper_unusable", error.message) from error
    if not items:
        raise ExamRefused("empty_paper", _("试卷中没有可用的题目，请联系培训师。"))
    versions = faces(item.version_id for item in items)
    rng = random.Random(seed)
    if exam.shuffle_questions:  # within each section, keeping 一、二、三… in order
        sections = [list(group) for _title, group in groupby(items, key=lambda i: i.section_title)]
        for section in sections:
            rng.shuffle(section)
        items = [item for section in sections for item in section]
    rows = []
    for ordinal, item in enumerate(items, 1):
        version = versions[item.version_id]
        labels = version.labels
        if exam.shuffle_options and get_type(version.type).choice:
            rng.shuffle(labels)
        rows.append({
            "ordinal": ordinal,
            "question_id": item.question_id,
            "version_id": version.version_id,
            "points": item.points,
            "section_title": item.section_title,
            "option_order": labels,
        })
    return Draw(rows, [face.version_id for face in versions.values() if not face.locked])


def _place(attempt: Attempt, drawn: Draw) -> None:
    """Store the draw in the attempt and freeze the versions it shows."""
    # A hundred rows in one statement, not a hundred ORM objects: the start burst of exam day is
    # bound by this (bench/exam_day.py).
    insert_rows(AttemptQuestion.__table__, [{**row, "attempt_id": attempt.id} for row in drawn.rows])
    mark_used(drawn.unlocked_versions)


def usable_prepared_draws(*columns: Any) -> Select[Any]:
    """SQL: these columns of the prepared draws still current — not used by a Start yet, and
    their exam, its paper and every drawn question unchanged since they were drawn
    (`training.exams.predraw`)."""
    questions = Question.__table__
    changed = exists().where(
        PreparedQuestion.draw_id == PreparedDraw.id,
        questions.c.id == PreparedQuestion.question_id,
        questions.c.updated_at > PreparedDraw.prepared_at,
    )
    used = exists().where(  # Start copied it into the attempt of its number
        Attempt.exam_id == PreparedDraw.exam_id, Attempt.user_id == PreparedDraw.user_id,
        Attempt.number == PreparedDraw.number,
    )
    return (
        select(*columns)
        .select_from(PreparedDraw)
        .join(Exam, Exam.id == PreparedDraw.exam_id)
        .join(Paper, Paper.id == PreparedDraw.paper_id)
        .where(
            Exam.paper_id == PreparedDraw.paper_id,
            Exam.updated_at == PreparedDraw.exam_updated_at,
            Paper.updated_at == PreparedDraw.paper_updated_at, ~changed, ~used,
        )
    )


# Built once, as every Start of exam day runs them (building one cost more than running it).
_CURRENT_DRAW = usable_prepared_draws(
    PreparedDraw.id, PreparedDraw.seed, PreparedDraw.max_score, PreparedDraw.questions_json
).where(PreparedDraw.exam_id == bindparam("exam_id"), PreparedDraw.user_id == bindparam("user_id"),
        PreparedDraw.number == bindparam("number"))
_PREPARED_COLUMNS = ("ordinal", "question_id", "version_id", "points", "section_title",
                     "option_order")
_PREPARED = PreparedQuestion.__table__
_TAKE_DRAW = insert(AttemptQuestion.__table__).from_select(
    ["attempt_id", *_PREPARED_COLUMNS],
    select(bindparam("attempt_id", type_=Integer), *(_PREPARED.c[n] for n in _PREPARED_COLUMNS))
    .where(_PREPARED.c.draw_id == bindparam("draw_id")),
)


def current_prepared_draw(exam_id: int, user_id: int, number: int) -> Row[Any] | None:
    """The draw prepared for this attempt number, if still current: (id, seed, max_score,
    questions_json)."""
    return db.session.execute(
        _CURRENT_DRAW, {"exam_id": exam_id, "user_id": user_id, "number": number}
    ).one_or_none()


def take_prepared_draw(attempt_id: int, draw_id: int) -> None:
    """Copy a prepared draw's questions into the attempt, inside the database.

    Its versions were frozen when it was prepared, so nothing of the paper or bank is read.
    The draw itself stays: the attempt of its number now exists, so it is never used again
    (`usable_prepared_draws`), and deleting its hundred questions would hold SQLite's single
    write lock twice as long at the opening minute. `drop_spent_draws` removes it later.
    """
    db.session.execute(_TAKE_DRAW, {"attempt_id": attempt_id, "draw_id": draw_id})


def drop_spent_draws(now: datetime) -> int:
    """Delete the prepared draws of exams closed for everyone, per-user windows included (a
    background job): used or not, nobody can start from them any more. Returns how many went."""
    later = exists().where(ExamOverride.exam_id == Exam.id, ExamOverride.closes_at >= now)
    closed = select(Exam.id).where(Exam.closes_at < now, ~later)
    return db.session.execute(
        delete(PreparedDraw).where(PreparedDraw.exam_id.in_(closed))
    ).rowcount


def _check_open(attempt: Attempt, now: datetime) -> None:
    _check_state(attempt.state_at(now), attempt.finish_reason)


def _check_state(state: str, finish_reason: str | None) -> None:
    if state == "expired" or finish_reason == "auto_closed":
        raise deadline_passed()
    if state != "in_progress":
        raise already_submitted()


@dataclass(frozen=True)
class Sitting:
    """What a save checks of its attempt and exam, read as an ORM row or as plain columns."""

    attempt_id: int
    state: str
    finish_reason: str | None
    position: int
    navigation: str
    networks: list[str]

    @classmethod
    def of(cls, attempt: Attempt, now: datetime) -> Sitting:
        return cls(attempt.id, attempt.state_at(now), attempt.finish_reason, attempt.position,
                   attempt.exam.navigation, attempt.exam.network_list)


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
    attempt = _lock(attempt)
    stored = _save(Sitting.of(attempt, now), shown_question(attempt.id, question_id), raw, seq,
                   address, now)
    db.session.expire(attempt, ["position"])  # a one-way exam may have moved on
    return stored


# Built once, as every autosave reads it: the caller's attempt, locked, the columns of its exam
# a save checks, and the drawn question (NULLs when the attempt did not draw it). Plain columns,
# not ORM objects: building those was a fifth of a save's time.
_ATTEMPTS, _EXAMS = Attempt.__table__, Exam.__table__
_LOCKED_SITTING = (
    select(_ATTEMPTS.c.submitted_at, _ATTEMPTS.c.graded_at, _ATTEMPTS.c.deadline,
           _ATTEMPTS.c.finish_reason, _ATTEMPTS.c.position, _EXAMS.c.navigation,
           _EXAMS.c.allowed_networks, *COLUMNS)
    .join(_EXAMS, _EXAMS.c.id == _ATTEMPTS.c.exam_id)
    .outerjoin(AttemptQuestion, and_(AttemptQuestion.attempt_id == _ATTEMPTS.c.id,
                                     AttemptQuestion.question_id == bindparam("question_id")))
    .where(_ATTEMPTS.c.id == bindparam("attempt_id"), _ATTEMPTS.c.user_id == bindparam("user_id"))
    .with_for_update(of=_ATTEMPTS)
)


def save_answer_of(
    user: User,
    attempt_id: int,
    question_id: int,
    raw: Any,
    seq: Any,
    *,
    address: str | None = None,
    now: datetime | None = None,
) -> int:
    """`save_answer` for the API, which has only the ids: the attempt is read once, locked.

    Autosave is exam day's most frequent request, so it costs two statements: one reads the
    locked attempt with what the save checks of its exam and the drawn question, one upserts the
    answer (which also keeps SQLite from storing a save that raced a submit).
    """
    now = now or utcnow()
    row = db.session.connection().execute(
        _LOCKED_SITTING, {"attempt_id": attempt_id, "user_id": user.id, "question_id": question_id}
    ).one_or_none()
    if row is None:
        raise NotFound(_("答卷不存在"))
    submitted_at, graded_at, deadline, finish_reason, position, navigation, networks = row[:7]
    state = attempt_state(submitted_at, graded_at, deadline, now)
    if state == "expired":  # abandoned: closed here as on any read, then the save is refused
        close_if_abandoned(db.session.get_one(Attempt, attempt_id), now)
    sitting = Sitting(attempt_id, state, finish_reason, position, navigation,
                      networks_in(networks))
    return _save(sitting, shown_from(row[7:]), raw, seq, address, now)


def _save(
    sitting: Sitting,
    question: ShownQuestion | None,
    raw: Any,
    seq: Any,
    address: str | None,
    now: datetime,
) -> int:
    """The save itself, on an attempt this transaction has locked."""
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= MAX_SEQ:
        raise InvalidResponse("invalid_seq", _("seq 必须是正整数。"))
    _check_state(sitting.state, sitting.finish_reason)
    check_address(sitting.networks, address)
    if question is None:
        raise NotFound(_("本答卷中没有这道题"))
    if sitting.navigation == "sequential" and question.ordinal < sitting.position:
        raise ExamRefused("question_closed", _("本场考试按顺序作答，已离开的题目不能再修改。"))
    stored = _upsert_answer(sitting.attempt_id, question, to_stored(question, raw), seq, now)
    if stored == seq and sitting.navigation == "sequential":
        _advance(sitting.attempt_id, question.ordinal)
    return stored


def _upsert_answer(
    attempt_id: int, question: ShownQuestion, response: Any, seq: int, now: datetime
) -> int:
    """Store the response unless a higher seq is stored; returns the seq stored afterwards."""
    connection = db.session.connection()  # a Core statement: the ORM's execute adds nothing
    stored = connection.execute(_answer_upsert(connection.dialect.name), {
        "attempt_id": attempt_id, "attempt_question_id": question.id,
        "question_id": question.question_id, "response": response, "seq": seq, "saved_at": now,
    }).scalar_one_or_none()
    if stored is not None:
        return stored
    if db.session.scalar(select(_ATTEMPTS.c.submitted_at).where(_ATTEMPTS.c.id == attempt_id)):
        raise already_submitted()
    return db.session.scalars(  # the newer answer that stays
        select(Answer.seq).filter_by(attempt_id=attempt_id, question_id=question.question_id)
    ).one()


@cache
def _answer_upsert(dialect_name: str) -> Insert:
    """The autosave's only write, built once per dialect (building it cost more than running it).

    INSERT … SELECT … WHERE the attempt is open ON CONFLICT DO UPDATE … WHERE stored seq < new
    seq: a late, reordered request changes nothing, two racing first saves need no savepoint or
    retry, and SQLite's single write lock is held for one statement. PostgreSQL holds the
    attempt locked already; SQLite has no FOR UPDATE, but the statement's own check sees a submit
    committed since the attempt was read, so a save that raced a submit is refused rather than
    stored ungraded.
    """
    table, attempts = Answer.__table__, Attempt.__table__
    names = ["attempt_id", "attempt_question_id", "question_id", "response", "seq", "saved_at"]
    still_open = exists().where(
        attempts.c.id == bindparam("attempt_id"), attempts.c.submitted_at.is_(None)
    )
    statement = dialect_insert(table, dialect_name).from_select(
        [*names, "save_count"],
        select(*(bindparam(name, type_=table.c[name].type) for name in names), literal(1))
        .where(still_open),
    )
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[table.c.attempt_id, table.c.question_id],
        set_={**{name: excluded[name] for name in ("response", "seq", "saved_at")},
              "save_count": table.c.save_count + 1},
        where=table.c.seq < excluded.seq,
    ).returning(table.c.seq)


def _advance(attempt_id: int, ordinal: int) -> None:
    """Move a one-way attempt's furthest position; the questions before it close."""
    db.session.execute(
        update(_ATTEMPTS).where(_ATTEMPTS.c.id == attempt_id, _ATTEMPTS.c.position < ordinal)
        .values(position=ordinal)
    )


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
    _finished(attempt, now)
    return attempt


def _close(attempt: Attempt, now: datetime) -> None:
    attempt.expire(now)
    grade_attempt(attempt, now)
    record(
        None, "exam.attempt_auto_closed", attempt,
        deadline=attempt.deadline.isoformat(), saves=attempt.save_count, score=attempt.score,
    )
    _finished(attempt, now)


def _finished(attempt: Attempt, now: datetime) -> None:
    for hook in ON_FINISH:
        hook(attempt, now)


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
    if client_at is not None and not _is_number(client_at):
        raise InvalidResponse("invalid_event", _("client_time 必须是数字（毫秒时间戳）。"))
    _check_open(attempt, now or utcnow())
    event = AttemptEvent(
        attempt_id=attempt.id, kind=kind, at=now or utcnow(), client_at=_client_time(client_at)
    )
    db.session.add(event)
    return event


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _client_time(value: Any) -> datetime | None:
    """The browser's own timestamp (milliseconds since the epoch), kept for reference only."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def review_visibility(attempt: Attempt, now: datetime) -> Visibility:
    """What the examinee may see of this attempt now, under the exam's review policy."""
    return visibility(attempt.exam, attempt, now, last_close(attempt.exam))
