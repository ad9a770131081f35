"""Scenarios: saving them (with versioning), assigning them, and what is open to an employee.

Saving validates first (`graph.check`): a scenario with an error in its file or its graph is
refused whole, every problem listed. A scenario's latest version is frozen once an employee's
run has played it: saving again then makes a new version, and runs keep the one they started
on. A version only play-tested so far is replaced in place (the trainer is still drafting), and
its play-test runs go with it, since their steps may name nodes that no longer exist.

Who a scenario reaches is the audience rule (`training.people.audience`), as for exams and
courses; a person reached by several assignments is due by the earliest of their due dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Integer, case, delete, exists, func, select

from training.audit.services import record
from training.database import db, utcnow
from training.errors import NotFound
from training.people.audience import (
    ReachCounts,
    Target,
    audit_details,
    due_dates,
    existing_targets,
    is_overdue,
    owned_assignment,
    place,
    reach_counts,
    reaching,
    unassign,
)
from training.people.models import User
from training.roleplay import graph, script, yaml_format
from training.roleplay.errors import ImportRefused, ScenarioInvalid
from training.roleplay.models import (
    RunState,
    Scenario,
    ScenarioAssignment,
    ScenarioRun,
    ScenarioVersion,
)


def save(source: str, *, actor: User | None, key: str = "") -> ScenarioVersion:
    """Save a scenario file (YAML) that reads and validates; `key` names it when the file has
    none (e.g. its file name stem). Every problem is listed with its line."""
    try:
        parsed, check = yaml_format.load_checked(source, source=key)
    except yaml_format.ScenarioFileError as error:
        raise ScenarioInvalid(_("场景文件有错误，未保存。"), list(error.problems)) from error
    if not parsed.key and key:
        parsed = replace(parsed, key=key)
    return _store(parsed, check, source, actor)


def save_script(parsed: script.Scenario, *, actor: User | None) -> ScenarioVersion:
    """Save a scenario edited as data (the web editor); its source is the file it makes."""
    check = graph.check(parsed)
    if not check.valid:
        raise ScenarioInvalid(_("场景校验未通过，未保存。"), list(check.problems))
    return _store(parsed, check, yaml_format.dump(parsed), actor)


def _store(
    parsed: script.Scenario, check: graph.Check, source: str, actor: User | None
) -> ScenarioVersion:
    """Store a valid scenario: a new version if the latest was played, else in place."""
    if not parsed.key:
        raise ScenarioInvalid(_("场景缺少 key，无法保存。"), [])
    scenario = db.session.scalar(select(Scenario).filter_by(key=parsed.key))
    if scenario is None:
        scenario = Scenario(key=parsed.key, created_by_id=actor.id if actor else None)
        db.session.add(scenario)
    scenario.title, scenario.channel = parsed.title, str(parsed.channel)
    version = _version_to_write(scenario)
    version.definition = script.to_dict(parsed)
    version.source = source
    version.max_score, version.min_score = check.max_score or 0.0, check.min_score or 0.0
    version.maxima = {str(name): value for name, value in check.maxima.items()}
    version.created_at, version.created_by_id = utcnow(), actor.id if actor else None
    db.session.flush()
    record(actor, "roleplay.scenario_saved", scenario, version=version.number)
    return version


def import_sources(sources: list[tuple[str, str]], *, actor: User | None) -> list[ScenarioVersion]:
    """Save several scenario files (name, text), each keyed by its name's stem when it has no
    key; if any fails, `ImportRefused` lists every file's problems and the caller's rollback
    keeps none of them (all or nothing)."""
    saved, failed = [], []
    for name, text in sources:
        try:
            saved.append(save(text, actor=actor, key=PurePath(name).stem))
        except ScenarioInvalid as error:
            failed.append((name, error.problems))
    if failed:
        raise ImportRefused(failed)
    return saved


def _version_to_write(scenario: Scenario) -> ScenarioVersion:
    """The latest version when only play-tests have used it (its play-test runs removed), else
    a new one."""
    latest = scenario.versions[-1] if scenario.versions else None
    if latest is not None and latest.id is not None and not played(latest):
        db.session.execute(delete(ScenarioRun).where(ScenarioRun.version_id == latest.id))
        return latest
    version = ScenarioVersion(number=latest.number + 1 if latest else 1)
    scenario.versions.append(version)
    return version


def played(version: ScenarioVersion) -> bool:
    """An employee's run (not a play-test) has used this version: it is frozen."""
    return bool(db.session.scalar(select(exists().where(
        ScenarioRun.version_id == version.id, ScenarioRun.playtest.is_(False)
    ))))


def export_all() -> list[Scenario]:
    """Every scenario, archived ones included, by key (each exported as its latest source)."""
    return list(db.session.scalars(select(Scenario).order_by(Scenario.key)))


def set_archived(scenario: Scenario, archived: bool, *, actor: User | None) -> None:
    """Archived scenarios are open to nobody; their runs stay."""
    scenario.archived = archived
    record(actor, "roleplay.scenario_archived" if archived else "roleplay.scenario_restored",
           scenario)


def set_max_runs(scenario: Scenario, max_runs: int | None, *, actor: User | None) -> None:
    """Limit each employee's runs of the scenario (None: unlimited); play-tests never count."""
    if max_runs is not None and max_runs < 1:
        raise ScenarioInvalid(_("次数上限至少为 1。"), [])
    scenario.max_runs = max_runs
    record(actor, "roleplay.max_runs_set", scenario, max_runs=max_runs)


def assign_scenario(
    scenario: Scenario,
    wanted: list[Target],
    due_at: datetime | None = None,
    *,
    actor: User | None,
    now: datetime | None = None,
) -> int:
    """Add departments, positions and people to those who must play the scenario, optionally
    with a date by which they should have passed it (a target already there takes the new
    date); how many."""
    found = existing_targets(wanted, due_at, now or utcnow())
    added = place(scenario.assignments, ScenarioAssignment, found, due_at=due_at)
    record(actor, "roleplay.assigned", scenario, **audit_details(found, due_at))
    return added


def remove_scenario_assignment(assignment: ScenarioAssignment, *, actor: User | None) -> None:
    """Take one assignment away; runs already played stay."""
    unassign(assignment.scenario, assignment, action="roleplay.unassigned", actor=actor)


def get_scenario_assignment(scenario: Scenario, assignment_id: int) -> ScenarioAssignment:
    return owned_assignment(ScenarioAssignment, assignment_id, owner_field="scenario_id",
                            owner_id=scenario.id, missing=_("分配不存在。"))


def scenario_reach(scenario: Scenario) -> ReachCounts:
    """How many people each of the scenario's assignments reaches, and all together."""
    return reach_counts(ScenarioAssignment, ScenarioAssignment.scenario_id == scenario.id)


@dataclass(frozen=True)
class OpenScenario:
    """A scenario open to an employee, with their own record on it (play-tests not counted)."""

    scenario: Scenario
    due_at: datetime | None  # the earliest due date among the assignments reaching them
    runs_used: int
    best_score: float | None
    passed: bool
    open_run_id: int | None
    now: datetime

    @property
    def runs_left(self) -> int | None:
        limit = self.scenario.max_runs
        return None if limit is None else max(limit - self.runs_used, 0)

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due_at, self.passed, self.now)


def open_scenarios(user: User, now: datetime | None = None) -> list[OpenScenario]:
    """The scenarios assigned to the user and not archived, the soonest due first."""
    now = now or utcnow()
    dues = due_dates(ScenarioAssignment, ScenarioAssignment.scenario_id, User.id == user.id) \
        .subquery()
    rows: Sequence[tuple[Scenario, datetime | None]] = db.session.execute(
        select(Scenario, dues.c.due_at).join(dues, dues.c.owner_id == Scenario.id)
        .where(Scenario.archived.is_(False))
    ).all()
    records = _records_of(user, [scenario.id for scenario, _due in rows])
    found = [
        OpenScenario(scenario, due, *records.get(scenario.id, (0, None, False, None)), now=now)
        for scenario, due in rows
    ]
    return sorted(found, key=lambda s: (s.due_at is None, s.due_at or datetime.max, s.scenario.id))


def _records_of(
    user: User, scenario_ids: Iterable[int]
) -> dict[int, tuple[int, float | None, bool, int | None]]:
    """Per scenario: runs used, best score, passed once, the open run — in one query."""
    is_open = ScenarioRun.state == RunState.IN_PROGRESS
    rows: Sequence[Any] = db.session.execute(
        select(
            ScenarioRun.scenario_id,
            func.count(ScenarioRun.id),
            func.max(ScenarioRun.score),
            func.max(func.coalesce(ScenarioRun.passed, False).cast(Integer)),
            func.max(case((is_open, ScenarioRun.id))),
        )
        .where(
            ScenarioRun.user_id == user.id, ScenarioRun.playtest.is_(False),
            ScenarioRun.scenario_id.in_(list(scenario_ids)),
        )
        .group_by(ScenarioRun.scenario_id)
    ).all()
    return {sid: (used, best, bool(passed), run_id) for sid, used, best, passed, run_id in rows}


def scenario_open_to(user: User, scenario_id: int) -> Scenario:
    """A scenario assigned to the user and not archived; any other is NotFound."""
    scenario = db.session.scalar(
        select(Scenario).where(
            Scenario.id == scenario_id, Scenario.archived.is_(False),
            Scenario.id.in_(reaching(ScenarioAssignment, user, ScenarioAssignment.scenario_id)),
        )
    )
    if scenario is None:
        raise NotFound(_("场景不存在或未分配给您。"))
    return scenario


def runs_used(user: User, scenario: Scenario) -> int:
    """The user's runs of the scenario that count against its limit (play-tests do not)."""
    return db.session.scalar(
        select(func.count(ScenarioRun.id)).where(
            ScenarioRun.user_id == user.id, ScenarioRun.scenario_id == scenario.id,
            ScenarioRun.playtest.is_(False),
        )
    ) or 0
