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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, TypeVar

from question_bank.texts import N_
from training.certification.months import add_months


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
    """Everything a rule can read about one employee, gathered in bulk by the services.

    Times are compared by their calendar day with the day evaluated, so pass them as the
    company's local time (`training.timezones.to_local`) for the day HR means."""

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
        if not isinstance(self.rule, AllOf | AnyOf):
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    @property
    def any_met(self) -> bool:
        """At least one requirement met: 进行中 rather than 未开始."""
        return any(leaf.met for leaf in self.leaves())



def evaluate(rule: Rule, facts: Facts, as_of: date) -> State:
    """Evaluate `rule` over `facts` on the day `as_of`, ignoring evidence made after that day.

    Times are compared by their calendar day, so the services pass them in the company's zone."""
    if isinstance(rule, AllOf | AnyOf):
        children = tuple(evaluate(item, facts, as_of) for item in rule.items)
        met_children = [child for child in children if child.met]
        met = len(met_children) == len(children) if isinstance(rule, AllOf) else bool(met_children)
        met_at = _latest(child.met_at for child in met_children) if met else None
        return State(rule, met, met_at, children=children)
    return _LEAVES[type(rule)](rule, facts, as_of)


def _latest(moments: Iterable[datetime | None]) -> datetime | None:
    return max((moment for moment in moments if moment is not None), default=None)


def _by(moment: datetime, as_of: date) -> bool:
    """Evidence made on or before the day evaluated."""
    return moment.date() <= as_of


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _exam(rule: ExamPassed, facts: Facts, as_of: date) -> State:
    since = add_months(as_of, -rule.within_months) if rule.within_months else date.min
    counted = [
        attempt
        for attempt in facts.attempts
        if attempt.exam_id == rule.exam_id
        and _by(attempt.finished_at, as_of)
        and attempt.finished_at.date() >= since
    ]
    best = max((attempt.percent for attempt in counted), default=None)

    def reaches(attempt: AttemptFact) -> bool:
        return attempt.passed if rule.min_percent is None else attempt.percent >= rule.min_percent

    if rule.attempt == AttemptChoice.LAST:
        last = max(counted, key=lambda attempt: attempt.finished_at, default=None)
        counted = [last] if last is not None else []
    met_at = _latest(attempt.finished_at for attempt in counted if reaches(attempt))
    return State(rule, met_at is not None, met_at, best)


def _course(rule: CourseCompleted, facts: Facts, as_of: date) -> State:
    def in_time(course: CourseFact) -> bool:
        if rule.within_days is None or course.assigned_at is None:
            return True
        return (course.completed_at.date() - course.assigned_at.date()).days <= rule.within_days

    met_at = _latest(
        course.completed_at
        for course in facts.courses
        if course.course_id == rule.course_id and _by(course.completed_at, as_of) and in_time(course)
    )
    return State(rule, met_at is not None, met_at)


def _scenario(rule: ScenarioPassed, facts: Facts, as_of: date) -> State:
    counted = [
        run for run in facts.runs if run.scenario_id == rule.scenario_id and _by(run.ended_at, as_of)
    ]
    met_at = _latest(
        run.ended_at
        for run in counted
        if run.score >= rule.min_score and not (rule.no_critical and run.critical)
    )
    best = max((run.score for run in counted), default=None)
    return State(rule, met_at is not None, met_at, best)


def _manual(rule: ManualConfirmed, facts: Facts, as_of: date) -> State:
    confirmed = facts.confirmed_manuals.get(rule.manual_id)
    met_at = confirmed if confirmed is not None and _by(confirmed, as_of) else None
    return State(rule, met_at is not None, met_at)


def _tenure(rule: MinimumTenure, facts: Facts, as_of: date) -> State:
    reached = add_months(facts.hire_date, rule.months) if facts.hire_date else None
    met_at = _start_of(reached) if reached is not None and reached <= as_of else None
    return State(rule, met_at is not None, met_at)


def _level(rule: LevelActive, facts: Facts, as_of: date) -> State:
    issued = facts.active_levels.get(rule.level_id)
    met_at = _start_of(issued) if issued is not None and issued <= as_of else None
    return State(rule, met_at is not None, met_at)


_LEAVES: dict[type, Callable[[Any, Facts, date], State]] = {
    ExamPassed: _exam,
    CourseCompleted: _course,
    ScenarioPassed: _scenario,
    ManualConfirmed: _manual,
    MinimumTenure: _tenure,
    LevelActive: _level,
}


# --- the stored form, and the checks it shares with the YAML file ---------------------------

KINDS: dict[str, type[Requirement]] = {
    "exam": ExamPassed,
    "course": CourseCompleted,
    "scenario": ScenarioPassed,
    "manual": ManualConfirmed,
    "tenure": MinimumTenure,
    "level": LevelActive,
}
KIND_OF: dict[type, str] = {cls: kind for kind, cls in KINDS.items()}
GROUPS: dict[str, type[AllOf] | type[AnyOf]] = {"all_of": AllOf, "any_of": AnyOf}
SUBJECT: dict[str, str | None] = {  # the field naming what a requirement reads, by database id
    "exam": "exam_id",
    "course": "course_id",
    "scenario": "scenario_id",
    "manual": "manual_id",
    "tenure": None,
    "level": "level_id",
}

Path = tuple[str | int, ...]
Problems = list[tuple[Path, str]]  # (where, message in Chinese via N_)
R = TypeVar("R")


def to_dict(rule: Rule) -> dict[str, Any]:
    """The stored (JSON) form shown in the module docstring."""
    if isinstance(rule, AllOf | AnyOf):
        key = "all_of" if isinstance(rule, AllOf) else "any_of"
        return {key: [to_dict(item) for item in rule.items]}
    values = {item.name: getattr(rule, item.name) for item in fields(rule)}
    return {KIND_OF[type(rule)]: {name: _plain(value) for name, value in values.items()}}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value


def from_dict(data: Mapping[str, Any]) -> Rule:
    """Read the stored form back; raises `ValueError` naming the path of a malformed node."""
    problems: Problems = []
    rule = read_tree(data, (), _stored_leaf, _group, problems)
    if problems or rule is None:
        raise ValueError("; ".join(f"{dotted(path)}: {message}" for path, message in problems))
    return rule


def _group(kind: str, items: tuple[Rule, ...]) -> Rule:
    return GROUPS[kind](items)


def _stored_leaf(kind: str, value: Any, path: Path, problems: Problems) -> Requirement | None:
    subject = SUBJECT[kind]
    subject_keys = {subject} if subject else set()
    options = read_options(kind, value, path, problems, subject_keys)
    if subject is not None and isinstance(value, Mapping):
        ident = check_field("id", value.get(subject), (*path, subject), problems)
        options = None if options is None or ident is None else {**options, subject: ident}
    return None if options is None else KINDS[kind](**options)


def read_tree(
    data: Any,
    path: Path,
    read_leaf: Callable[[str, Any, Path, Problems], R | None],
    make_group: Callable[[str, tuple[R, ...]], R],
    problems: Problems,
) -> R | None:
    """A rule tree with leaves read by `read_leaf` and groups made by `make_group` (the stored
    form makes rules, the YAML file specs that still name things); None when malformed, with
    every problem noted."""
    if not isinstance(data, Mapping) or len(data) != 1:
        problems.append((path, N_("每个条件只写一个键：all_of、any_of、exam、course、scenario、manual、tenure 或 level")))
        return None
    ((key, value),) = data.items()
    where = (*path, str(key))
    if key in GROUPS:
        if not isinstance(value, list) or not value:
            problems.append((where, N_("条件组 %(key)s 需要一个至少含一项条件的列表", key=key)))
            return None
        items = [
            read_tree(item, (*where, index), read_leaf, make_group, problems)
            for index, item in enumerate(value)
        ]
        present = tuple(item for item in items if item is not None)
        return make_group(key, present) if len(present) == len(items) else None
    if key in KINDS:
        return read_leaf(key, value, where, problems)
    problems.append((where, N_("未知的条件类型：%(key)s", key=key)))
    return None


def read_options(
    kind: str, value: Any, path: Path, problems: Problems, subject_keys: set[str]
) -> dict[str, Any] | None:
    """A requirement's settings (all but its subject), checked, defaults filled in."""
    if not isinstance(value, Mapping):
        problems.append((path, N_("应是键值对（字段: 值）")))
        return None
    settings = [item for item in fields(KINDS[kind]) if item.name != SUBJECT[kind]]
    names = [item.name for item in settings]
    before = len(problems)
    for key in value:
        if key not in names and key not in subject_keys:
            problems.append(((*path, str(key)), N_("未知的字段：%(key)s", key=key)))
    for item in settings:
        if item.default is MISSING and value.get(item.name) is None:
            problems.append(((*path, item.name), N_("缺少此字段")))
    options = {
        name: check_field(name, value[name], (*path, name), problems)
        for name in names
        if value.get(name) is not None
    }
    return options if len(problems) == before else None


def check_field(name: str, value: Any, path: Path, problems: Problems) -> Any:
    """`value` checked for the field `name`; a problem is noted and None returned when wrong."""
    message = N_("缺少此字段") if value is None else _CHECKS[name](value)
    if message is None:
        return AttemptChoice(value) if name == "attempt" else value
    problems.append((path, message))
    return None


def whole_number(low: int) -> Callable[[Any], str | None]:
    """A check that a value is an integer of at least `low` (its message, or None when fine)."""

    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= low:
            return None
        return N_("应是不小于 %(low)s 的整数", low=low)

    return check


def _percent(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
        return None
    return N_("应是 0 到 100 之间的数")


def _attempt(value: Any) -> str | None:
    return None if value in set(AttemptChoice) else N_("应是 best（最高一次）或 last（最近一次）")


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else N_("应是 true 或 false")


_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "id": whole_number(1),
    "min_percent": _percent,
    "attempt": _attempt,
    "within_months": whole_number(1),
    "within_days": whole_number(0),
    "min_score": _percent,
    "no_critical": _boolean,
    "months": whole_number(0),
}


def dotted(path: Path) -> str:
    """`all_of[0].exam.min_percent`: a path as a reader writes it."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def with_prerequisites(rule: Rule, level_ids: Iterable[int]) -> Rule:
    """The rule as evaluated: the level's prerequisite levels active, then its own rule."""
    prerequisites = tuple(LevelActive(level_id) for level_id in level_ids)
    return AllOf((*prerequisites, rule)) if prerequisites else rule


def referenced(rule: Rule) -> list[Requirement]:
    """Every requirement in the rule, in order (to gather only the facts the rules need)."""
    if isinstance(rule, AllOf | AnyOf):
        return [requirement for item in rule.items for requirement in referenced(item)]
    return [rule]
