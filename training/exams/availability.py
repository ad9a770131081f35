"""Who may sit which exam, when, how often, from where, and by when they should have passed.

An exam's due date comes from its assignments (the earliest among those reaching the examinee,
`training.people.audience.due_dates`); it does not close the exam, whose window still decides
when it can be sat. Overdue means: the due date has passed and the exam's result under its
grading method is not a pass — `ExamStatus.overdue` for one examinee, `overdue_examinees` in
SQL for reports. The examinee is told only what the review policy lets them see: a finished
attempt whose score is still withheld keeps "overdue" off their pages (`overdue_shown`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from limits import parse
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select

from training.database import db
from training.errors import NotFound
from training.exams.errors import (
    ExamForbidden,
    ExamRefused,
    TooManyPasswordTries,
    WrongExamPassword,
)
from training.exams.grading import FinalResult, final_result, final_results
from training.exams.models import (
    Attempt,
    AttemptState,
    Exam,
    ExamAssignment,
    ExamKind,
    ExamOverride,
)
from training.exams.serialise import Visibility, visibility
from training.extensions import limiter
from training.passwords import verify_password
from training.people.audience import due_dates, is_overdue, reaching
from training.people.models import User


@dataclass(frozen=True)
class Window:
    """When one user may sit an exam, and how many minutes they get on top of the limit."""

    opens_at: datetime
    closes_at: datetime
    extra_minutes: int = 0

    def phase(self, now: datetime) -> str:
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


@dataclass
class ExamStatus:
    """An exam as one user sees it now: window, attempts used and left, result so far."""

    exam: Exam
    window: Window
    attempts: list[Attempt] = field(default_factory=list)
    now: datetime | None = None
    # When the last examinee's window closes: read with a list of exams, in one query; for one
    # exam (`status_for`) only when first needed, as Start never needs it.
    last_close: datetime | None = None
    due_at: datetime | None = None  # the earliest due date among the assignments reaching them

    @property
    def phase(self) -> str:
        return self.window.phase(self.now)  # type: ignore[arg-type]

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.state_at(self.now) == AttemptState.IN_PROGRESS), None)

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int | None:
        """None means unlimited."""
        if self.exam.attempts_allowed is None:
            return None
        return max(0, self.exam.attempts_allowed - self.attempts_used)

    @property
    def can_start(self) -> bool:
        return self.phase == "open" and self.open_attempt is None and self.attempts_left != 0

    @property
    def finished(self) -> list[Attempt]:
        return [a for a in self.attempts if a.finished]

    @property
    def group(self) -> str:
        """Where 我的考试 lists it: in_progress, available, upcoming or done."""
        if self.open_attempt is not None:
            return "in_progress"
        if self.can_start:
            return "available"
        return "upcoming" if self.phase == "upcoming" else "done"

    @property
    def section(self) -> str:
        """Where 我的考试 lists it: `group`, except that lesson quizzes (taken inside courses)
        have a list of their own unless one is in progress, which stays on top."""
        if self.exam.kind == ExamKind.QUIZ and self.group != "in_progress":
            return "quiz"
        return self.group

    def seen(self, attempt: Attempt) -> Visibility:
        if self.last_close is None:
            self.last_close = last_close(self.exam)
        return visibility(self.exam, attempt, self.now, self.last_close)  # type: ignore[arg-type]

    @property
    def passed(self) -> bool:
        """The result under the grading method is a pass (whether or not it may be shown)."""
        final = final_result(self.exam, self.attempts)
        return final is not None and final.passed

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due_at, self.passed, self.now)  # type: ignore[arg-type]

    @property
    def result_pending(self) -> bool:
        """Some finished attempt's score is not yet (or never) shown to the examinee."""
        return any(a.graded_at is None or not self.seen(a).score for a in self.finished)

    @property
    def owed(self) -> bool:
        """Due and not passed, as the examinee may be told it: never while a result is pending,
        since "still owed" would give away what the review policy keeps back."""
        return self.due_at is not None and not self.passed and not self.result_pending

    @property
    def overdue_shown(self) -> bool:
        """`overdue` as the examinee may be told it (see `owed`)."""
        return self.owed and self.overdue

    @property
    def shown_final(self) -> FinalResult | None:
        """The result under the grading method, from attempts whose score may be shown."""
        return final_result(self.exam, [a for a in self.attempts if self.seen(a).score])


def assigned_exam_ids(user: User) -> Select[tuple[int]]:
    """SQL selecting the ids of the exams assigned to the user (the audience reach rule)."""
    return reaching(ExamAssignment, user, ExamAssignment.exam_id)


def exam_dues(*criteria: ColumnElement[bool]) -> Select:
    """SQL: per (exam, examinee) reached by the assignments matching `criteria`, the earliest
    due date (columns owner_id, user_id, due_at)."""
    return due_dates(ExamAssignment, ExamAssignment.exam_id, *criteria)


def overdue_examinees(now: datetime, *criteria: ColumnElement[bool]) -> Select:
    """SQL twin of `ExamStatus.overdue` for reports: (exam id, user id, due date) of everyone
    reached by the assignments matching `criteria` whose due date has passed without a pass."""
    dues = exam_dues(*criteria).subquery()
    results = final_results(Attempt.exam_id.in_(select(dues.c.owner_id))).subquery()
    return (
        select(dues.c.owner_id.label("exam_id"), dues.c.user_id, dues.c.due_at)
        .outerjoin(results, and_(results.c.exam_id == dues.c.owner_id,
                                 results.c.user_id == dues.c.user_id))
        .where(dues.c.due_at < now, or_(results.c.passed.is_(None), results.c.passed.is_(False)))
    )


def is_assigned(exam: Exam, user: User) -> bool:
    return db.session.scalar(
        select(Exam.id).where(Exam.id == exam.id, Exam.id.in_(assigned_exam_ids(user)))
    ) is not None


def window_for(exam: Exam, override: ExamOverride | None) -> Window:
    """The exam's window, replaced field by field by the user's override."""
    if override is None:
        return Window(exam.opens_at, exam.closes_at)
    return Window(
        override.opens_at or exam.opens_at,
        override.closes_at or exam.closes_at,
        override.extra_minutes or 0,
    )


def deadline_for(exam: Exam, window: Window, started_at: datetime) -> datetime:
    """min(start + time limit + extra time, close); an exam without a limit runs to its close."""
    if exam.time_limit_minutes is None:
        return window.closes_at
    limit = timedelta(minutes=exam.time_limit_minutes + window.extra_minutes)
    return min(started_at + limit, window.closes_at)


def attempts_of(user: User, exam_ids: list[int]) -> dict[int, list[Attempt]]:
    """The user's attempts per exam, numbered in order, in one query."""
    by_exam: dict[int, list[Attempt]] = {exam_id: [] for exam_id in exam_ids}
    if exam_ids:
        rows = db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.exam_id.in_(exam_ids))
            .order_by(Attempt.exam_id, Attempt.number)
        )
        for attempt in rows:
            by_exam[attempt.exam_id].append(attempt)
    return by_exam


@cache
def _assigned_exams(*, one: bool) -> Select:
    """SQL: (exam, due date) of the exams assigned to user `:user_id` (with `one`, only exam
    `:exam_id`), built once: every Start runs it, and building it cost a fifth of a Start."""
    dues = exam_dues(User.id == bindparam("user_id")).subquery()
    stmt = (
        select(Exam, dues.c.due_at)
        .join(dues, dues.c.owner_id == Exam.id)
        .order_by(Exam.opens_at.desc(), Exam.id.desc())
    )
    return stmt.where(Exam.id == bindparam("exam_id")) if one else stmt


def exam_statuses(user: User, now: datetime, exam_id: int | None = None) -> list[ExamStatus]:
    """Every exam assigned to the user (or just one), with window, due date and attempts, in 4
    queries (3 for one exam, whose last close is read only if needed)."""
    rows = db.session.execute(
        _assigned_exams(one=exam_id is not None), {"user_id": user.id, "exam_id": exam_id}
    ).all()
    exams = [exam for exam, _due in rows]
    due = {exam.id: due_at for exam, due_at in rows}
    ids = [exam.id for exam in exams]
    overrides = {
        o.exam_id: o
        for o in db.session.scalars(
            select(ExamOverride).where(ExamOverride.user_id == user.id, ExamOverride.exam_id.in_(ids))
        )
    } if ids else {}
    attempts = attempts_of(user, ids)
    closes = last_closes(exams) if exam_id is None else {}
    return [
        ExamStatus(
            exam, window_for(exam, overrides.get(exam.id)), attempts[exam.id], now,
            closes.get(exam.id), due[exam.id],
        )
        for exam in exams
    ]


def latest_override_closes(exam_ids: list[int]) -> dict[int, datetime]:
    """Per exam, the latest close among its per-user windows (one query)."""
    if not exam_ids:
        return {}
    rows = db.session.execute(
        select(ExamOverride.exam_id, func.max(ExamOverride.closes_at))
        .where(ExamOverride.exam_id.in_(exam_ids)).group_by(ExamOverride.exam_id)
    ).all()
    return {exam_id: closes for exam_id, closes in rows if closes is not None}


def last_closes(exams: list[Exam]) -> dict[int, datetime]:
    """Per exam, when it closes for its last examinee (one query; see `last_close`)."""
    later = latest_override_closes([exam.id for exam in exams])
    return {exam.id: max(exam.closes_at, later.get(exam.id) or exam.closes_at) for exam in exams}


def last_close(exam: Exam) -> datetime:
    """When the exam closes for its last examinee: 'after close' review waits for this, so
    nobody with a later window can be shown the key by a colleague."""
    return last_closes([exam])[exam.id]


def status_for(user: User, exam_id: int, now: datetime) -> ExamStatus:
    """One exam as the user sees it; NotFound when it is not assigned to them."""
    statuses = exam_statuses(user, now, exam_id)
    if not statuses:
        raise NotFound(_("考试不存在"))
    return statuses[0]


def check_network(exam: Exam, address: str | None) -> None:
    """Refuse addresses outside the exam's allowed ranges (no ranges: anywhere)."""
    check_address(exam.network_list, address)


def check_address(networks: list[str], address: str | None) -> None:
    """`check_network` on the exam's network list itself."""
    if not networks:
        return
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        ip = None
    if ip is None or not any(ip in ipaddress.ip_network(n, strict=False) for n in networks):
        raise ExamForbidden(
            "network_not_allowed", _("本场考试只能在指定的网络（考场）内作答。")
        )


def check_can_start(
    status: ExamStatus, user: User, password: str | None, address: str | None
) -> None:
    """Every rule a new attempt must pass; the first broken one is reported."""
    phase = status.phase
    if phase == "upcoming":
        raise ExamRefused("not_open", _("考试尚未开始。"))
    if phase == "closed":
        raise ExamRefused("closed", _("考试已结束。"))
    if status.attempts_left == 0:
        raise ExamRefused("no_attempts_left", _("本场考试的作答次数已用完。"))
    check_network(status.exam, address)
    check_access_password(status.exam, user, password)


def check_access_password(exam: Exam, user: User, password: str | None) -> None:
    """The exam's access password, guessed at most EXAM_PASSWORD_FAILURES times per user and exam.

    The counter lives in the rate-limit store (Redis across app servers); once it is full even
    the right password waits, or guessing would go on at the full speed of the server.
    """
    if not exam.access_password_hash:
        return
    limit = parse(current_app.config["EXAM_PASSWORD_FAILURES"])
    key = ("exam-password", str(user.id), str(exam.id))
    if not limiter.limiter.test(limit, *key):
        raise TooManyPasswordTries(
            "too_many_password_attempts", _("考试密码错误次数过多，请稍后再试或联系培训师。")
        )
    if not verify_password(exam.access_password_hash, password or ""):
        limiter.limiter.hit(limit, *key)
        raise WrongExamPassword(user, exam)
