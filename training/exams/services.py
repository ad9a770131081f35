"""Setting exams up: settings, who sits them, per-user exceptions. Services flush; views commit."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from training.audit.models import AuditEvent
from training.audit.services import record
from training.database import db, utcnow
from training.errors import DomainError, NotFound
from training.exams.models import (
    Answer,
    Attempt,
    AttemptEvent,
    Exam,
    ExamAssignment,
    ExamKind,
    ExamOverride,
    GradingMethod,
    MultipleRule,
    Navigation,
    ReviewWhen,
)
from training.papers.models import Paper
from training.passwords import hash_password
from training.people.audience import (
    ReachCounts,
    Target,
    audit_details,
    existing_targets,
    place,
    reach_counts,
    target_of,
)
from training.people.models import User

# What each kind starts with; the trainer may change any of it.
KIND_DEFAULTS: dict[str, dict[str, Any]] = {
    ExamKind.FORMAL: {
        "attempts_allowed": 1, "review_when": ReviewWhen.AFTER_CLOSE, "review_score": True,
        "review_answers": False, "review_explanations": False,
    },
    ExamKind.MOCK: {
        "attempts_allowed": None, "review_when": ReviewWhen.IMMEDIATELY, "review_score": True,
        "review_answers": True, "review_explanations": True,
    },
    ExamKind.QUIZ: {
        "attempts_allowed": None, "review_when": ReviewWhen.IMMEDIATELY, "review_score": True,
        "review_answers": True, "review_explanations": True,
    },
}


@dataclass
class ExamSettings:
    """Everything a trainer sets on an exam; `password` None keeps the current one, '' clears."""

    paper_id: int
    title: str
    kind: str
    opens_at: datetime
    closes_at: datetime
    time_limit_minutes: int | None = 60
    attempts_allowed: int | None = 1
    grading_method: str = GradingMethod.HIGHEST
    pass_mark: float = 60.0
    multiple_rule: str = MultipleRule.ALL_OR_NOTHING
    shuffle_questions: bool = False
    shuffle_options: bool = False
    navigation: str = Navigation.FREE
    review_when: str = ReviewWhen.AFTER_CLOSE
    review_score: bool = True
    review_answers: bool = False
    review_explanations: bool = False
    allowed_networks: str = ""
    description: str = ""
    password: str | None = None

    @classmethod
    def of(cls, exam: Exam) -> ExamSettings:
        names = [f.name for f in fields(cls) if f.name != "password"]
        return cls(**{name: getattr(exam, name) for name in names})


def _check(settings: ExamSettings) -> None:
    """Refuse settings that cannot work, naming the field."""
    choices = {
        "kind": ExamKind, "grading_method": GradingMethod, "navigation": Navigation,
        "review_when": ReviewWhen, "multiple_rule": MultipleRule,
    }
    for name, allowed in choices.items():
        if getattr(settings, name) not in tuple(allowed):
            raise DomainError(_("无效的设置：%(name)s", name=name))
    if not settings.title.strip():
        raise DomainError(_("考试名称不能为空"))
    if settings.closes_at <= settings.opens_at:
        raise DomainError(_("结束时间必须晚于开始时间"))
    if settings.time_limit_minutes is not None and settings.time_limit_minutes < 1:
        raise DomainError(_("考试时长至少 1 分钟"))
    if settings.attempts_allowed is not None and settings.attempts_allowed < 1:
        raise DomainError(_("作答次数至少为 1"))
    if not 0 <= settings.pass_mark <= 100:
        raise DomainError(_("及格线是满分的百分比，应在 0–100 之间"))
    for line in settings.allowed_networks.splitlines():
        if line.strip():
            try:
                ipaddress.ip_network(line.strip(), strict=False)
            except ValueError as error:
                raise DomainError(_("无法识别的网段：%(net)s", net=line.strip())) from error
    if db.session.get(Paper, settings.paper_id) is None:
        raise DomainError(_("试卷不存在"))


def _apply(exam: Exam, settings: ExamSettings) -> None:
    for item in fields(settings):
        if item.name != "password":
            setattr(exam, item.name, getattr(settings, item.name))
    exam.title = settings.title.strip()
    exam.allowed_networks = "\n".join(
        line.strip() for line in settings.allowed_networks.splitlines() if line.strip()
    )
    if settings.password is not None:
        exam.access_password_hash = (
            hash_password(settings.password) if settings.password else None
        )


def create_exam(settings: ExamSettings, *, actor: Any) -> Exam:
    _check(settings)
    exam = Exam(created_by_id=getattr(actor, "id", None))
    _apply(exam, settings)
    db.session.add(exam)
    record(actor, "exam.created", exam, title=exam.title, kind=exam.kind)
    return exam


def has_attempts(exam: Exam) -> bool:
    return db.session.scalar(select(Attempt.id).where(Attempt.exam_id == exam.id).limit(1)) is not None


def update_exam(exam: Exam, settings: ExamSettings, *, actor: Any) -> None:
    """Change the settings; started attempts keep their paper draw and deadline."""
    _check(settings)
    if settings.paper_id != exam.paper_id and has_attempts(exam):
        raise DomainError(_("已有考生作答，不能更换试卷"))
    _apply(exam, settings)
    record(actor, "exam.updated", exam)


def get_exam(exam_id: int) -> Exam:
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        raise NotFound(_("考试不存在"))
    return exam


def assign_exam(
    exam: Exam,
    wanted: list[Target],
    due_at: datetime | None = None,
    *,
    actor: Any,
    now: datetime | None = None,
) -> int:
    """Add departments, positions and people to the exam's examinees, optionally with a date
    by which they should have passed (a target already there takes the new date); how many."""
    found = existing_targets(wanted, due_at, now or utcnow())
    added = place(exam.assignments, ExamAssignment, found, due_at=due_at)
    record(actor, "exam.assigned", exam, **audit_details(found, due_at))
    return added


def remove_exam_assignment(assignment: ExamAssignment, *, actor: Any) -> None:
    """Take one assignment away; attempts already made stay."""
    record(actor, "exam.unassigned", assignment.exam, **audit_details([target_of(assignment)], None))
    assignment.exam.assignments.remove(assignment)


def exam_reach(exam: Exam) -> ReachCounts:
    """How many people each of the exam's assignments reaches, and all together."""
    return reach_counts(ExamAssignment, ExamAssignment.exam_id == exam.id)


def get_exam_assignment(exam: Exam, assignment_id: int) -> ExamAssignment:
    assignment = db.session.get(ExamAssignment, assignment_id)
    if assignment is None or assignment.exam_id != exam.id:
        raise NotFound(_("考试安排不存在"))
    return assignment


def set_override(
    exam: Exam,
    user: User,
    extra_minutes: int,
    opens_at: datetime | None,
    closes_at: datetime | None,
    *,
    actor: Any,
) -> ExamOverride:
    """Give one user extra time and/or another window (used by attempts started later)."""
    if extra_minutes < 0:
        raise DomainError(_("延长时间不能为负数"))
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(_("结束时间必须晚于开始时间"))
    override = db.session.scalar(select(ExamOverride).filter_by(exam_id=exam.id, user_id=user.id))
    if override is None:
        override = ExamOverride(exam_id=exam.id, user_id=user.id)
        db.session.add(override)
    override.extra_minutes, override.opens_at, override.closes_at = extra_minutes, opens_at, closes_at
    record(actor, "exam.override_set", exam, user_id=user.id, extra_minutes=extra_minutes)
    return override


def remove_override(override: ExamOverride, *, actor: Any) -> None:
    record(actor, "exam.override_removed", override.exam, user_id=override.user_id)
    db.session.delete(override)


def exam_list() -> Select[tuple[Exam]]:
    """Every exam, newest window first, for the trainer's list."""
    return select(Exam).order_by(Exam.opens_at.desc(), Exam.id.desc())


def attempt_counts(exam_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(attempts, pending manual grading) per exam, in one query each."""
    if not exam_ids:
        return {}
    totals = dict(db.session.execute(
        select(Attempt.exam_id, func.count(Attempt.id))
        .where(Attempt.exam_id.in_(exam_ids)).group_by(Attempt.exam_id)
    ).all())
    pending = dict(db.session.execute(
        select(Attempt.exam_id, func.count(Answer.id))
        .join(Answer, Answer.attempt_id == Attempt.id)
        .where(
            Attempt.exam_id.in_(exam_ids), Attempt.submitted_at.is_not(None),
            Answer.needs_manual.is_(True), Answer.graded_at.is_(None),
        )
        .group_by(Attempt.exam_id)
    ).all())
    return {i: (totals.get(i, 0), pending.get(i, 0)) for i in exam_ids}


def events_of(attempt_ids: list[int]) -> dict[int, list[AttemptEvent]]:
    """Focus-loss and similar events per attempt, in time order, in one query."""
    by_attempt: dict[int, list[AttemptEvent]] = {i: [] for i in attempt_ids}
    if attempt_ids:
        rows = db.session.scalars(
            select(AttemptEvent)
            .where(AttemptEvent.attempt_id.in_(attempt_ids))
            .order_by(AttemptEvent.at, AttemptEvent.id)
        )
        for event in rows:
            by_attempt[event.attempt_id].append(event)
    return by_attempt


@dataclass(frozen=True)
class PasswordFailures:
    """One examinee's wrong access passwords for an exam, as the trainer's attempts page lists."""

    user: User
    count: int
    last_at: datetime


def password_failures(exam: Exam) -> list[PasswordFailures]:
    """Who typed a wrong access password for the exam, how often and when last; most first."""
    rows = db.session.execute(
        select(User, func.count(AuditEvent.id), func.max(AuditEvent.at))
        .join(AuditEvent, AuditEvent.actor_id == User.id)
        .where(
            AuditEvent.action == "exam.password_failed",
            AuditEvent.target_type == "Exam",
            AuditEvent.target_id == exam.id,
        )
        .group_by(User.id)
        .order_by(func.count(AuditEvent.id).desc(), User.id)
    ).all()
    return [PasswordFailures(user, count, last_at) for user, count, last_at in rows]


def exam_titles_using(paper_id: int) -> list[str]:
    """Titles of the exams built on a paper: such a paper must not be deleted."""
    return list(db.session.scalars(select(Exam.title).where(Exam.paper_id == paper_id)))
