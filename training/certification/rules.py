"""A certification level's rule, and what one employee's record makes of it — as plain data.

Pure Python (no Flask, no database), like `question_bank`: the services gather each employee's
record into `Facts` with a few grouped queries, `evaluate` says which requirements are met and
since when, and `training.certification.lifecycle` turns that into a status. Reports reuse the
same function over the same records.

A rule is a tree: `AllOf` / `AnyOf` groups (nested freely) over requirements. Requirements name
what they read by database id (`exam_id`, `course_id`, …); the YAML file names them by title,
slug or code, and `rule_yaml` resolves them through a callback, so this module never looks
anything up.

Stored form (`to_dict` / `from_dict`; the database keeps it as JSON in `CertRuleVersion.rule`):

    {"all_of": [
        {"exam": {"exam_id": 3, "min_percent": 80, "attempt": "best", "within_months": 12}},
        {"course": {"course_id": 2, "within_days": 30}},
        {"scenario": {"scenario_id": 5, "min_score": 70, "no_critical": true}},
        {"manual": {"manual_id": 1}},
        {"tenure": {"months": 3}},
        {"level": {"level_id": 1}},
        {"any_of": [...]}]}

Optional fields may be left out or null. `min_percent` null on an exam means "passed by the
exam's own pass mark".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class AttemptChoice(StrEnum):
    BEST = "best"  # any counted attempt reaches the mark
    LAST = "last"  # the most recent graded attempt reaches the mark


# --- requirements -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamPassed:
    """A graded attempt of the exam reached `min_percent` (None: the exam's pass mark), counting
    only attempts finished within the last `within_months` months of the day evaluated."""

    exam_id: int
    min_percent: float | None = None
    attempt: AttemptChoice = AttemptChoice.BEST
    within_months: int | None = None


@dataclass(frozen=True)
class CourseCompleted:
    """The course is completed; with `within_days`, no later than that many days after it was
    first assigned to the employee (no assignment: the limit does not apply)."""

    course_id: int
    within_days: int | None = None


@dataclass(frozen=True)
class ScenarioPassed:
    """A finished, counted run of the role-play scenario scored at least `min_score` (0–100)
    and, with `no_critical`, made no critical mistake (一票否决)."""

    scenario_id: int
    min_score: float = 0.0
    no_critical: bool = True


@dataclass(frozen=True)
class ManualConfirmed:
    """The manual's current required edition is confirmed as read."""

    manual_id: int


@dataclass(frozen=True)
class MinimumTenure:
    """At least `months` since the employee's 入职日期 (`User.hire_date`)."""

    months: int


@dataclass(frozen=True)
class LevelActive:
    """Another certification level is active (certified or expiring, not expired or revoked)."""

    level_id: int


@dataclass(frozen=True)
class AllOf:
    items: tuple[Rule, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Rule, ...]


Requirement = ExamPassed | CourseCompleted | ScenarioPassed | ManualConfirmed | MinimumTenure | LevelActive
Rule = Requirement | AllOf | AnyOf


# --- one employee's record ----------------------------------------------------------------


@dataclass(frozen=True)
class AttemptFact:
    """A graded exam attempt (practice-free: formal and mock attempts the exam counts)."""

    exam_id: int
    percent: float  # 0–100 of the attempt's maximum
    passed: bool  # by the exam's pass mark
    finished_at: datetime


@dataclass(frozen=True)
class CourseFact:
    course_id: int
    completed_at: datetime
    assigned_at: datetime | None  # the earliest assignment that reaches the employee


@dataclass(frozen=True)
class RunFact:
    """An ended role-play run that counts (not a trainer's playtest)."""

    scenario_id: int
    score: float  # 0–100
    passed: bool
    critical: bool  # a critical mistake stands in the run
    ended_at: datetime


@dataclass(frozen=True)
class Facts:
    """Everything a rule can read about one employee, gathered in bulk by the services."""

    user_id: int
    hire_date: date | None = None
    attempts: tuple[AttemptFact, ...] = ()
    courses: tuple[CourseFact, ...] = ()
    runs: tuple[RunFact, ...] = ()
    confirmed_manuals: Mapping[int, datetime] = field(default_factory=dict)  # manual_id → when
    active_levels: Mapping[int, date] = field(default_factory=dict)  # level_id → issued_on


# --- what the record makes of the rule ----------------------------------------------------


@dataclass(frozen=True)
class State:
    """One node of the rule, evaluated: met or not, since when, and how close.

    `met_at` is when the freshest evidence that satisfies the node was made (a leaf: the
    qualifying attempt, completion, run, confirmation, the day tenure was reached, the level's
    issue day; `AllOf`: the latest of its children; `AnyOf`: the latest of its met children).
    Renewal reads it: evidence made inside the recertification window renews.
    `best` is the best percent or score so far for an exam or scenario, for "最高 72%，需 80%".
    """

    rule: Rule
    met: bool
    met_at: datetime | None = None
    best: float | None = None
    children: tuple[State, ...] = ()

    def leaves(self) -> list[State]:
        """The requirement states under this node, in rule order (for ticks and 进行中 counts)."""
        raise NotImplementedError  # cert-core implements

    @property
    def any_met(self) -> bool:
        """At least one requirement met: 进行中 rather than 未开始."""
        raise NotImplementedError  # cert-core implements


def evaluate(rule: Rule, facts: Facts, as_of: date) -> State:
    """Evaluate `rule` over `facts` on the day `as_of`, ignoring evidence made after that day."""
    raise NotImplementedError  # cert-core implements


def to_dict(rule: Rule) -> dict[str, Any]:
    """The stored (JSON) form shown in the module docstring."""
    raise NotImplementedError  # cert-core implements


def from_dict(data: Mapping[str, Any]) -> Rule:
    """Read the stored form back; raises `ValueError` naming the path of a malformed node."""
    raise NotImplementedError  # cert-core implements


def referenced(rule: Rule) -> list[Requirement]:
    """Every requirement in the rule, in order (to gather only the facts the rules need)."""
    raise NotImplementedError  # cert-core implements
