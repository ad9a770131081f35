"""Scenarios: saving them (with versioning), assigning them, and what is open to an employee.

Saving validates first (`graph.check`): a scenario with an error in its file or its graph is
refused whole, every problem listed. A scenario's latest version is frozen once an employee's
run has played it: saving again then makes a new version, and runs keep the one they started
on. A version only play-tested so far is replaced in place (the trainer is still drafting), and
its play-test runs go with it, since their steps may name nodes that no longer exist.

Who a scenario reaches is the audience rule (`training.people.audience`) for departments and
users; a position reaches the active employees holding it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Integer, case, delete, exists, false, func, select, true, union

from training.audit.services import record
from training.database import db, utcnow
from training.errors import NotFound
from training.people.audience import LEARNER_ROLE, reaching
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


@dataclass(frozen=True)
class Audience:
    """Whom a scenario is assigned to, and by when (None: no due date)."""

    department_ids: tuple[int, ...] = ()
    user_ids: tuple[int, ...] = ()
    positions: tuple[str, ...] = ()
    due_at: datetime | None = None


def set_assignments(scenario: Scenario, audience: Audience, *, actor: User | None) -> None:
    """Replace the scenario's assignments with this audience."""
    scenario.assignments.clear()
    db.session.flush()  # the old rows go before new ones with the same target arrive
    positions = dict.fromkeys(p.strip() for p in audience.positions if p.strip())
    targets = [
        *(ScenarioAssignment(department_id=d) for d in dict.fromkeys(audience.department_ids)),
        *(ScenarioAssignment(user_id=u) for u in dict.fromkeys(audience.user_ids)),
        *(ScenarioAssignment(position=p) for p in positions),
    ]
    for target in targets:
        target.due_at = audience.due_at
        scenario.assignments.append(target)
    record(actor, "roleplay.assigned", scenario, targets=len(targets),
           due_at=audience.due_at.isoformat() if audience.due_at else None)


def _assignments_reaching(user: User):  # noqa: ANN202 - a SQLAlchemy select of ids
    """SQL: the ids of the scenario assignments that reach `user`."""
    by_audience = reaching(ScenarioAssignment, user, ScenarioAssignment.id)
    learner = user.active and LEARNER_ROLE in user.role_names and bool(user.position)
    by_position = select(ScenarioAssignment.id).where(
        ScenarioAssignment.position == user.position, true() if learner else false()
    )
    return union(by_audience, by_position)


@dataclass(frozen=True)
class OpenScenario:
    """A scenario open to an employee, with their own record on it (play-tests not counted)."""

    scenario: Scenario
    due_at: datetime | None
    runs_used: int
    best_score: float | None
    passed: bool
    open_run_id: int | None

    @property
    def runs_left(self) -> int | None:
        limit = self.scenario.max_runs
        return None if limit is None else max(limit - self.runs_used, 0)


def open_scenarios(user: User) -> list[OpenScenario]:
    """The scenarios assigned to the user and not archived, the soonest due first."""
    reached = _assignments_reaching(user).subquery()
    rows = db.session.execute(
        select(Scenario, func.min(ScenarioAssignment.due_at))
        .join(ScenarioAssignment, ScenarioAssignment.scenario_id == Scenario.id)
        .where(ScenarioAssignment.id.in_(select(reached)), Scenario.archived.is_(False))
        .group_by(Scenario.id)
    ).all()
    records = _records_of(user, [scenario.id for scenario, _due in rows])
    found = [
        OpenScenario(scenario, due, *records.get(scenario.id, (0, None, False, None)))
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
    reached = _assignments_reaching(user).subquery()
    scenario = db.session.scalar(
        select(Scenario).where(
            Scenario.id == scenario_id, Scenario.archived.is_(False),
            Scenario.assignments.any(ScenarioAssignment.id.in_(select(reached))),
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
