"""Scenarios, their frozen versions, who they are assigned to, and the runs played on them.

A scenario's content lives in its versions: `definition` is the scenario as plain data
(`script.to_dict`), frozen once a run has played it, so a run always replays and is scored on
the version it started on. Editing a played scenario makes a new version (`services.save`).

A run is a state machine stored as rows: `step` is the number of the step the run awaits and
`node_id` the node shown at that step; each answered step is a `RunStep`, unique per run and
step, so a repeated or racing reply can never be recorded twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from threading import Lock
from typing import Any

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.database import db, one_of, utcnow
from training.people.audience import assignment_constraints
from training.people.models import Department, User
from training.roleplay import script
from training.roleplay.script import Channel, Outcome

SCRIPTS_CACHED = 512  # scenario versions kept parsed per process


class _ScriptCache:
    """Parsed versions by (id, saved at): immutable values, shared by the process's threads."""

    def __init__(self) -> None:
        self._entries: LRUCache[tuple[int, datetime], script.Scenario] = LRUCache(SCRIPTS_CACHED)
        self._lock = Lock()

    def get(
        self, key: tuple[int, datetime], parse: Callable[[], script.Scenario]
    ) -> script.Scenario:
        with self._lock:
            found = self._entries.get(key)
        if found is None:
            found = parse()
            with self._lock:
                self._entries[key] = found
        return found


def _scripts() -> _ScriptCache:
    """The app's own cache (tests' apps, whose ids repeat, share nothing)."""
    return current_app.extensions.setdefault("roleplay_scripts", _ScriptCache())


class RunState(StrEnum):
    IN_PROGRESS = "in_progress"
    PENDING_REVIEW = "pending_review"  # ended, with typed replies a trainer has not reviewed
    ENDED = "ended"


class Scenario(db.Model):
    """A role-play scenario: what stays the same across its versions."""

    __tablename__ = "scenario"
    __table_args__ = (
        one_of("channel", Channel),
        CheckConstraint("max_runs IS NULL OR max_runs > 0", name="max_runs_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    max_runs: Mapped[int | None]  # runs per employee; None: unlimited
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived: Mapped[bool] = mapped_column(default=False)

    versions: Mapped[list[ScenarioVersion]] = relationship(
        back_populates="scenario",
        order_by="ScenarioVersion.number",
        cascade="all, delete-orphan",
    )
    assignments: Mapped[list[ScenarioAssignment]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="ScenarioAssignment.id"
    )

    @property
    def latest(self) -> ScenarioVersion:
        return self.versions[-1]


class ScenarioVersion(db.Model):
    """One state of a scenario's content, with what validation computed when it was saved."""

    __tablename__ = "scenario_version"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenario.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)  # script.to_dict
    source: Mapped[str] = mapped_column(Text)  # the YAML it was saved from
    max_score: Mapped[float]
    min_score: Mapped[float]
    maxima: Mapped[dict[str, float]] = mapped_column(JSON)  # graph.Check.maxima, by dimension
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    scenario: Mapped[Scenario] = relationship(back_populates="versions")

    @property
    def script(self) -> script.Scenario:
        """The version as plain data, for the pure play and scoring functions.

        Read once per process and version state (a reply would otherwise rebuild it a few
        times, ~1 ms each): `created_at` changes when a draft version is replaced in place."""
        if self.id is None:
            return script.from_dict(self.definition)
        return _scripts().get((self.id, self.created_at), lambda: script.from_dict(self.definition))


class ScenarioAssignment(db.Model):
    """Who must play a scenario, optionally by when they should have passed it: a department
    (its employees, subtree included), a position, both, or one user; who that reaches is the
    audience rule (`training.people.audience`)."""

    __tablename__ = "scenario_assignment"
    __table_args__ = assignment_constraints("scenario_assignment", "scenario_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenario.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scenario: Mapped[Scenario] = relationship(back_populates="assignments")
    department: Mapped[Department | None] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(lazy="joined")


class ScenarioRun(db.Model):
    """One play of one scenario version by one user (`playtest`: a trainer trying it out,
    counted nowhere). At most one run per user and scenario is in progress at a time."""

    __tablename__ = "scenario_run"
    __table_args__ = (
        one_of("state", RunState),
        one_of("outcome", Outcome),
        CheckConstraint("mood >= 0 AND mood <= 100", name="mood_range"),
        Index(
            "uq_scenario_run_open",
            "scenario_id",
            "user_id",
            "playtest",
            unique=True,
            sqlite_where=text("state = 'in_progress'"),
            postgresql_where=text("state = 'in_progress'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The scenario is the version's; kept here too for limits, resuming and per-scenario lists.
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenario.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_version.id"), index=True)
    playtest: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    node_id: Mapped[str] = mapped_column(String(64))  # the node shown at `step`
    step: Mapped[int] = mapped_column(default=1)  # the step awaited (after the end: one past it)
    mood: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default=RunState.IN_PROGRESS)
    outcome: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[float | None]  # 0–100, once ended (provisional while pending review)
    passed: Mapped[bool | None]
    dimensions: Mapped[dict[str, float] | None] = mapped_column(JSON)  # name: 0–100

    user: Mapped[User] = relationship()
    scenario: Mapped[Scenario] = relationship()
    version: Mapped[ScenarioVersion] = relationship()
    steps: Mapped[list[RunStep]] = relationship(
        back_populates="run", order_by="RunStep.step", cascade="all, delete-orphan"
    )

    @property
    def finished(self) -> bool:
        return self.state != RunState.IN_PROGRESS


class RunStep(db.Model):
    """One answered step: what the employee did at a node, and what it earned.

    `points` are what the rules gave (for a typed reply, a suggestion: `suggested`);
    `reviewed_points`, once a trainer set them, replace them in the score."""

    __tablename__ = "scenario_run_step"
    __table_args__ = (UniqueConstraint("run_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scenario_run.id", ondelete="CASCADE"))
    step: Mapped[int]
    node_id: Mapped[str] = mapped_column(String(64))
    option_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)  # a typed reply
    points: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    mood_after: Mapped[int]
    critical: Mapped[str | None] = mapped_column(Text)  # the critical mistake's reason
    suggested: Mapped[bool] = mapped_column(default=False)  # typed: points await review
    reviewed_points: Mapped[dict[str, float] | None] = mapped_column(JSON)
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    run: Mapped[ScenarioRun] = relationship(back_populates="steps")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    @property
    def awaiting_review(self) -> bool:
        return self.suggested and self.reviewed_at is None

    @property
    def counted_points(self) -> dict[str, float]:
        """The points the score uses: the trainer's when reviewed, else the rules'."""
        return self.points if self.reviewed_points is None else self.reviewed_points
