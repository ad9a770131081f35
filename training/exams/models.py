"""Exams, attempts and answers, with the attempt's state derived from timestamps and the clock.

Times are naive UTC (see `training.database.utcnow`). An attempt's state is never stored: it
follows from `submitted_at`, `graded_at`, `deadline` and the server clock, and the same rule is
available as SQL (`Attempt.open_at`, `Attempt.abandoned_at`) for lists and the sweeper.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    Float,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    cast,
    func,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from training.bank.models import QuestionVersion
from training.database import db, one_of, utcnow
from training.exams.errors import already_submitted, deadline_passed
from training.people.audience import assignment_constraints
from training.people.models import Department, User

if TYPE_CHECKING:  # only for the type checker (papers read exams); the mapper finds "Paper" by name
    from training.papers.models import Paper


class ExamKind(StrEnum):
    FORMAL = "formal"
    MOCK = "mock"
    QUIZ = "quiz"  # a lesson quiz, taken inside a course


class GradingMethod(StrEnum):
    """Which graded attempts make an examinee's result (see `final_result`)."""

    HIGHEST = "highest"
    LAST = "last"
    FIRST = "first"
    AVERAGE = "average"


class Navigation(StrEnum):
    FREE = "free"
    SEQUENTIAL = "sequential"


class ReviewWhen(StrEnum):
    """When a finished attempt's review opens to its examinee."""

    IMMEDIATELY = "immediately"
    AFTER_CLOSE = "after_close"  # once the exam has closed for its last examinee
    NEVER = "never"


class MultipleRule(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


class FinishReason(StrEnum):
    SUBMITTED = "submitted"
    AUTO_CLOSED = "auto_closed"


class AttemptState(StrEnum):
    """An attempt's state, derived from its timestamps and the clock (`Attempt.state_at`)."""

    IN_PROGRESS = "in_progress"
    EXPIRED = "expired"
    PENDING_REVIEW = "pending_review"
    GRADED = "graded"

EVENT_KINDS = ("focus_lost", "focus_back", "offline", "online")

# A save or submit this many seconds after the deadline is still accepted: it absorbs network
# latency and the browser's last autosave at 00:00. The sweeper waits the same grace before it
# closes an abandoned attempt, so the two never disagree.
GRACE_SECONDS = 5
GRACE = timedelta(seconds=GRACE_SECONDS)


HUNDREDTH = Decimal("0.01")


def to_hundredths(value: float) -> float:
    """2 decimals, halves up, on the value's 15 significant digits: exactly what SQL's
    `round(CAST(x AS NUMERIC), 2)` gives on SQLite and PostgreSQL (`hundredths`), so a report
    in SQL and a page in Python agree — Python's round() would make 59.995 % a fail at 60."""
    return float(Decimal(f"{value:.15g}").quantize(HUNDREDTH, ROUND_HALF_UP))


def hundredths(value: ColumnElement[float]) -> ColumnElement[float]:
    """SQL twin of `to_hundredths`."""
    return cast(func.round(cast(value, Numeric), 2), Float)


def percent_of(score: float | None, max_score: float | None) -> float | None:
    """A score as a percentage of the maximum, 2 decimals (None without both)."""
    if score is None or not max_score:
        return None
    return to_hundredths(100 * score / max_score)


def networks_in(text: str) -> list[str]:
    """An exam's allowed networks (CIDRs, one a line) as a list; empty: anywhere."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def attempt_state(
    submitted_at: datetime | None, graded_at: datetime | None, deadline: datetime, now: datetime
) -> AttemptState:
    """`Attempt.state_at` on plain column values, for the autosave's one-statement read."""
    if submitted_at is None:
        return AttemptState.IN_PROGRESS if now <= deadline + GRACE else AttemptState.EXPIRED
    return AttemptState.GRADED if graded_at is not None else AttemptState.PENDING_REVIEW


class Exam(db.Model):
    """A paper plus the settings under which it is sat.

    `pass_mark` is a percentage (0–100) of the attempt's maximum score, so it stays right when
    random draws give attempts different totals.
    """

    __tablename__ = "exam"
    __table_args__ = (
        CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark_percent"),
        one_of("kind", ExamKind),
        one_of("grading_method", GradingMethod),
        one_of("navigation", Navigation),
        one_of("review_when", ReviewWhen),
        one_of("multiple_rule", MultipleRule),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("paper.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default=ExamKind.FORMAL)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    time_limit_minutes: Mapped[int | None]
    attempts_allowed: Mapped[int | None]  # None: unlimited (no default: None must stay None)
    grading_method: Mapped[str] = mapped_column(String(16), default=GradingMethod.HIGHEST)
    pass_mark: Mapped[float] = mapped_column(default=60.0)
    multiple_rule: Mapped[str] = mapped_column(String(20), default=MultipleRule.ALL_OR_NOTHING)
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_options: Mapped[bool] = mapped_column(default=False)
    navigation: Mapped[str] = mapped_column(String(16), default=Navigation.FREE)
    review_when: Mapped[str] = mapped_column(String(16), default=ReviewWhen.AFTER_CLOSE)
    review_score: Mapped[bool] = mapped_column(default=True)
    review_answers: Mapped[bool] = mapped_column(default=False)
    review_explanations: Mapped[bool] = mapped_column(default=False)
    access_password_hash: Mapped[str | None] = mapped_column(String(256))
    allowed_networks: Mapped[str] = mapped_column(Text, default="")  # CIDRs, one a line
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    paper: Mapped[Paper] = relationship()
    assignments: Mapped[list[ExamAssignment]] = relationship(
        back_populates="exam", cascade="all, delete-orphan", order_by="ExamAssignment.id"
    )
    overrides: Mapped[list[ExamOverride]] = relationship(
        back_populates="exam", cascade="all, delete-orphan"
    )

    @property
    def network_list(self) -> list[str]:
        return networks_in(self.allowed_networks)

    @property
    def has_password(self) -> bool:
        return bool(self.access_password_hash)


class ExamAssignment(db.Model):
    """Who sits an exam, optionally by when: a department (its employees, subtree included),
    a position, both, or one user; who that reaches is the audience rule
    (`training.people.audience`). The due date is when the examinee should have passed; the
    exam's window still decides when it can be sat."""

    __tablename__ = "exam_assignment"
    __table_args__ = assignment_constraints("exam_assignment", "exam_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exam.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    due_at: Mapped[datetime | None]

    exam: Mapped[Exam] = relationship(back_populates="assignments")
    department: Mapped[Department | None] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(lazy="joined")


class ExamOverride(db.Model):
    """One user's exception: extra time and/or a different window."""

    __tablename__ = "exam_override"
    __table_args__ = (UniqueConstraint("exam_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exam.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]

    exam: Mapped[Exam] = relationship(back_populates="overrides")
    user: Mapped[User] = relationship(lazy="joined")


class Attempt(db.Model):
    """One sitting of an exam by one user; (exam, user, number) is unique, so Start is idempotent.

    States: in_progress (open, before deadline + grace) → expired (abandoned, awaiting the
    sweeper) → pending_review (finished, subjective answers ungraded) → graded.
    """

    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("exam_id", "user_id", "number"),
        Index("ix_attempt_open", "submitted_at", "deadline"),
        Index("ix_attempt_user_exam", "user_id", "exam_id"),
        one_of("finish_reason", FinishReason),  # NULL (not finished) passes a CHECK
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exam.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    number: Mapped[int]
    seed: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    finish_reason: Mapped[str | None] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(default=0)  # furthest ordinal (one-way navigation)
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    passed: Mapped[bool | None]
    graded_at: Mapped[datetime | None]
    # When its wrong answers were filed in the wrong-answer book: once, as soon as its review
    # shows the answers (training/practice/services.py); None until then or if never.
    wrong_book_filled_at: Mapped[datetime | None]

    exam: Mapped[Exam] = relationship()
    user: Mapped[User] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.ordinal", cascade="all, delete-orphan"
    )

    def state_at(self, now: datetime) -> AttemptState:
        """The attempt's state at `now` on the server clock."""
        return attempt_state(self.submitted_at, self.graded_at, self.deadline, now)

    def accepts_answers(self, now: datetime) -> bool:
        return self.state_at(now) == AttemptState.IN_PROGRESS

    def remaining_seconds(self, now: datetime) -> int:
        """Whole seconds left before the deadline (0 once it has passed or the attempt ended)."""
        if self.submitted_at is not None:
            return 0
        return max(0, int((self.deadline - now).total_seconds()))

    @property
    def finished(self) -> bool:
        return self.submitted_at is not None

    @hybrid_property
    def percent(self) -> float | None:
        return percent_of(self.score, self.max_score)

    @percent.inplace.expression
    @classmethod
    def _percent_sql(cls) -> ColumnElement[float | None]:
        """SQL twin of `percent_of(score, max_score)`: NULL without a score or a maximum."""
        return case(
            (and_(cls.score.is_not(None), cls.max_score != 0),
             hundredths(100 * cls.score / cls.max_score)),
            else_=None,
        )

    def submit(self, now: datetime) -> None:
        """Finish by the examinee's hand; refused once finished or after deadline + grace."""
        state = self.state_at(now)
        if state == AttemptState.EXPIRED:
            raise deadline_passed()
        if state != AttemptState.IN_PROGRESS:
            raise already_submitted()
        self.submitted_at = now
        self.finish_reason = FinishReason.SUBMITTED

    def expire(self, now: datetime) -> None:
        """Close an abandoned attempt as of its deadline (the sweeper's transition)."""
        if self.state_at(now) == AttemptState.IN_PROGRESS:
            raise ValueError("an attempt in progress cannot be closed by the sweeper")
        if self.submitted_at is not None:
            raise already_submitted()
        self.submitted_at = self.deadline
        self.finish_reason = FinishReason.AUTO_CLOSED

    @classmethod
    def open_at(cls, now: datetime) -> ColumnElement[bool]:
        """SQL for `state_at(now) == AttemptState.IN_PROGRESS`."""
        return and_(cls.submitted_at.is_(None), cls.deadline >= now - GRACE)

    @classmethod
    def abandoned_at(cls, now: datetime) -> ColumnElement[bool]:
        """SQL for `state_at(now) == AttemptState.EXPIRED`: what the sweeper closes."""
        return and_(cls.submitted_at.is_(None), cls.deadline < now - GRACE)


class AttemptQuestion(db.Model):
    """A question as drawn for one attempt: its version, worth and the option order shown."""

    __tablename__ = "attempt_question"
    __table_args__ = (
        UniqueConstraint("attempt_id", "ordinal"),
        UniqueConstraint("attempt_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    ordinal: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"), index=True)
    points: Mapped[float]
    section_title: Mapped[str] = mapped_column(String(200), default="")
    # Original option labels in the order shown; shown labels are A, B, C... in this order.
    option_order: Mapped[list[str]] = mapped_column(JSON, default=list)

    attempt: Mapped[Attempt] = relationship(back_populates="questions")
    version: Mapped[QuestionVersion] = relationship(lazy="joined")


class PreparedDraw(db.Model):
    """An examinee's next attempt drawn before the exam opens (`training.exams.predraw`).

    Kept apart from `attempt` so that no list, history, report or attempt count can see it
    before Start turns it into an attempt. It records the exam's and paper's `updated_at` as
    drawn from: once either moves, or one of its questions changes after `prepared_at`, Start
    ignores the draw and `prepare` replaces it.
    """

    __tablename__ = "prepared_draw"
    __table_args__ = (UniqueConstraint("exam_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exam.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # the attempt number it is drawn for
    seed: Mapped[int]
    max_score: Mapped[float]
    exam_updated_at: Mapped[datetime]
    paper_id: Mapped[int] = mapped_column(ForeignKey("paper.id", ondelete="CASCADE"), index=True)
    paper_updated_at: Mapped[datetime]
    prepared_at: Mapped[datetime] = mapped_column(default=utcnow)


class PreparedQuestion(db.Model):
    """One question of a prepared draw: an `attempt_question` row waiting for its attempt."""

    __tablename__ = "prepared_question"
    __table_args__ = (UniqueConstraint("draw_id", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("prepared_draw.id", ondelete="CASCADE"))
    ordinal: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"), index=True)
    points: Mapped[float]
    section_title: Mapped[str] = mapped_column(String(200), default="")
    option_order: Mapped[list[str]] = mapped_column(JSON, default=list)


class Answer(db.Model):
    """The saved response to one attempt question; `seq` orders the browser's saves.

    Responses are stored with the question's original option labels, so reports compare
    attempts whatever order the options were shown in.
    """

    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id"),
        Index("ix_answer_manual_queue", "needs_manual", "graded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    attempt_question_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_question.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    seq: Mapped[int] = mapped_column(default=0)
    saved_at: Mapped[datetime | None]
    # Saves applied to this answer (0 for the row grading gives an unanswered question): counted
    # here, not on the attempt, so an autosave writes one row (SQLite serialises writers).
    save_count: Mapped[int] = mapped_column(default=0, server_default="0")
    points_awarded: Mapped[float | None]
    correct: Mapped[bool | None]
    needs_manual: Mapped[bool] = mapped_column(default=False)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    graded_at: Mapped[datetime | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    attempt: Mapped[Attempt] = relationship()
    attempt_question: Mapped[AttemptQuestion] = relationship(lazy="joined")
    graded_by: Mapped[User | None] = relationship()


# Applied saves over the whole attempt, for the audit log and the trainer's list; deferred, so
# the hot paths that load attempts don't pay for the sum.
Attempt.save_count = column_property(
    select(func.coalesce(func.sum(Answer.save_count), 0))
    .where(Answer.attempt_id == Attempt.id)
    .correlate_except(Answer)
    .scalar_subquery(),
    deferred=True,
)


class AttemptEvent(db.Model):
    """Something the exam page reported (focus lost, back, offline), at server time."""

    __tablename__ = "attempt_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    client_at: Mapped[datetime | None]
