"""Gathering what the rules read (`rules.Facts`) for many employees at once.

An evaluation over the whole company must not cost a query per employee: each requirement kind
is read with one grouped query, and only for the exams, courses, scenarios and manuals some
rule names (`Wanted`). `gather` then hands every employee their own `Facts`. The same function
serves one employee (an event) and five thousand (the nightly `cert evaluate`): the number of
queries depends on the rules, never on the number of people.

Times are handed over in the company's local time (stored times are UTC), because the rules
compare them by calendar day with the day evaluated, the day HR means.

Who a level applies to (`applies`) follows the audience rule of assignments
(`training.people.audience`): active employees in any of its department subtrees and, when
positions are named, holding one of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, select, true
from sqlalchemy.orm import aliased

from training.certification import rules
from training.certification.lifecycle import ACTIVE
from training.certification.models import Certificate, CertLevel, CertStatus
from training.courses.models import CourseAssignment, CourseCompletion
from training.database import db
from training.exams.models import Attempt
from training.manuals.models import ManualEdition, ReadConfirmation
from training.people.audience import LEARNER_ROLE, in_subtree, reach
from training.people.models import Department, User, UserRole
from training.roleplay.models import RunState, RunStep, ScenarioRun
from training.timezones import localiser

UserIds = Collection[int] | None  # None: everyone
IN_LIST_LIMIT = 500


@dataclass(frozen=True)
class Wanted:
    """What the rules being evaluated name, so only those records are read."""

    exam_ids: frozenset[int] = frozenset()
    course_ids: frozenset[int] = frozenset()
    scenario_ids: frozenset[int] = frozenset()
    manual_ids: frozenset[int] = frozenset()


def wanted(rule_list: Iterable[rules.Rule]) -> Wanted:
    """The exams, courses, scenarios and manuals named anywhere in the rules."""
    found: dict[type, set[int]] = defaultdict(set)
    for rule in rule_list:
        for requirement in rules.referenced(rule):
            match requirement:
                case rules.ExamPassed(exam_id=key) | rules.CourseCompleted(course_id=key) \
                        | rules.ScenarioPassed(scenario_id=key) | rules.ManualConfirmed(manual_id=key):
                    found[type(requirement)].add(key)
    return Wanted(
        frozenset(found[rules.ExamPassed]), frozenset(found[rules.CourseCompleted]),
        frozenset(found[rules.ScenarioPassed]), frozenset(found[rules.ManualConfirmed]),
    )


def applies(level: CertLevel) -> ColumnElement[bool]:
    """SQL on `User`: the level applies to this person (an active employee in its scope)."""
    home, root = aliased(Department), aliased(Department)
    in_departments = exists().where(
        root.id.in_(level.department_ids), home.id == User.department_id,
        in_subtree(home.path, root.path),
    ) if level.department_ids else true()
    in_positions = User.position.in_(level.positions) if level.positions else true()
    return and_(User.active.is_(True), User.roles.any(UserRole.role == LEARNER_ROLE),
                in_departments, in_positions)


def _only(column: ColumnElement[int], user_ids: UserIds) -> ColumnElement[bool]:
    return true() if user_ids is None else column.in_(user_ids)


@dataclass(frozen=True)
class Person:
    """What an evaluation needs of an employee: who they are, for the certificate and the
    changes, and their 入职日期 (read as plain rows: thousands of ORM users cost seconds)."""

    id: int
    username: str
    display_name: str
    employee_no: str | None
    hire_date: date | None

    @classmethod
    def of(cls, user: User) -> Person:
        return cls(user.id, user.username, user.display_name, user.employee_no, user.hire_date)


def applicable_users(level: CertLevel, user_ids: UserIds = None) -> list[Person]:
    """The people the level applies to (optionally among `user_ids`), in username order."""
    return [Person(*row) for row in db.session.execute(
        select(User.id, User.username, User.display_name, User.employee_no, User.hire_date)
        .where(applies(level), _only(User.id, user_ids)).order_by(User.username)
    )]


def gather(people: Iterable[Person], want: Wanted) -> dict[int, rules.Facts]:
    """Each person's `Facts`, read with one query per requirement kind the rules use."""
    by_id = {person.id: person for person in people}
    # Past a few hundred people, reading every row of the wanted records is cheaper than a
    # long IN list (and stays under SQLite's bound-parameter limit); others are dropped below.
    ids: UserIds = list(by_id) if len(by_id) <= IN_LIST_LIMIT else None
    local = localiser()
    attempts = _attempts(want.exam_ids, ids, local) if want.exam_ids else {}
    courses = _courses(want.course_ids, ids, local) if want.course_ids else {}
    runs = _runs(want.scenario_ids, ids, local) if want.scenario_ids else {}
    manuals = _confirmations(want.manual_ids, ids, local) if want.manual_ids else {}
    levels = active_levels(ids)
    return {
        user_id: rules.Facts(
            user_id=user_id, hire_date=person.hire_date,
            attempts=tuple(attempts.get(user_id, ())), courses=tuple(courses.get(user_id, ())),
            runs=tuple(runs.get(user_id, ())), confirmed_manuals=manuals.get(user_id, {}),
            active_levels=levels.get(user_id, {}),
        )
        for user_id, person in by_id.items()
    }


Local = Callable[[datetime], datetime]  # a stored (UTC) time as the company's local time


def _attempts(exam_ids: Collection[int], user_ids: UserIds,
              local: Local) -> dict[int, list[rules.AttemptFact]]:
    """Graded attempts of the exams (percent of the attempt's maximum, pass, when finished)."""
    rows = db.session.execute(
        select(Attempt.user_id, Attempt.exam_id, Attempt.percent, Attempt.passed,
               Attempt.submitted_at, Attempt.graded_at)
        .where(Attempt.exam_id.in_(exam_ids), Attempt.graded_at.is_not(None),
               Attempt.percent.is_not(None), _only(Attempt.user_id, user_ids))
    )
    found: dict[int, list[rules.AttemptFact]] = defaultdict(list)
    for user_id, exam_id, percent, passed, submitted_at, graded_at in rows:
        found[user_id].append(rules.AttemptFact(
            exam_id, float(percent), bool(passed), local(submitted_at or graded_at)))
    return found


def _courses(course_ids: Collection[int], user_ids: UserIds,
             local: Local) -> dict[int, list[rules.CourseFact]]:
    """Completions of the courses, each with the earliest assignment that reaches the person
    (a course taken without being assigned has none, and no deadline to meet)."""
    first_assigned = (
        reach(CourseAssignment, CourseAssignment.course_id, User.id.label("user_id"),
              func.min(CourseAssignment.assigned_at).label("assigned_at"))
        .where(CourseAssignment.course_id.in_(course_ids), _only(User.id, user_ids))
        .group_by(CourseAssignment.course_id, User.id)
        .subquery()
    )
    rows = db.session.execute(
        select(CourseCompletion.user_id, CourseCompletion.course_id,
               CourseCompletion.completed_at, first_assigned.c.assigned_at)
        .outerjoin(first_assigned, and_(first_assigned.c.course_id == CourseCompletion.course_id,
                                        first_assigned.c.user_id == CourseCompletion.user_id))
        .where(CourseCompletion.course_id.in_(course_ids),
               _only(CourseCompletion.user_id, user_ids))
    )
    found: dict[int, list[rules.CourseFact]] = defaultdict(list)
    for user_id, course_id, completed_at, assigned_at in rows:
        found[user_id].append(rules.CourseFact(course_id, local(completed_at),
                                               local(assigned_at) if assigned_at else None))
    return found


def _runs(scenario_ids: Collection[int], user_ids: UserIds,
          local: Local) -> dict[int, list[rules.RunFact]]:
    """Ended runs that count (no playtests, no run still awaiting a trainer's review), and
    whether a critical mistake stands in them (a step keeps its `critical` reason)."""
    critical = exists().where(RunStep.run_id == ScenarioRun.id, RunStep.critical.is_not(None))
    rows = db.session.execute(
        select(ScenarioRun.user_id, ScenarioRun.scenario_id, ScenarioRun.score,
               ScenarioRun.passed, critical, ScenarioRun.ended_at)
        .where(ScenarioRun.scenario_id.in_(scenario_ids), ScenarioRun.playtest.is_(False),
               ScenarioRun.state == RunState.ENDED, ScenarioRun.score.is_not(None),
               _only(ScenarioRun.user_id, user_ids))
    )
    found: dict[int, list[rules.RunFact]] = defaultdict(list)
    for user_id, scenario_id, score, passed, has_critical, ended_at in rows:
        found[user_id].append(rules.RunFact(
            scenario_id, float(score), bool(passed), bool(has_critical), local(ended_at)))
    return found


def _confirmations(manual_ids: Collection[int], user_ids: UserIds,
                   local: Local) -> dict[int, dict[int, datetime]]:
    """When each person confirmed the current edition of each manual (a new edition needs a
    new confirmation, as the library asks for it)."""
    rows = db.session.execute(
        select(ReadConfirmation.user_id, ManualEdition.manual_id, ReadConfirmation.confirmed_at)
        .join(ManualEdition, ManualEdition.id == ReadConfirmation.edition_id)
        .where(ManualEdition.manual_id.in_(manual_ids), ManualEdition.is_current.is_(True),
               _only(ReadConfirmation.user_id, user_ids))
    )
    found: dict[int, dict[int, datetime]] = defaultdict(dict)
    for user_id, manual_id, confirmed_at in rows:
        found[user_id][manual_id] = local(confirmed_at)
    return found


def active_levels(user_ids: UserIds) -> dict[int, dict[int, date]]:
    """Per person, the levels whose last evaluated status is active, with the issue day of
    the certificate that makes them so (a prerequisite requirement reads it)."""
    rows = db.session.execute(
        select(CertStatus.user_id, CertStatus.level_id, Certificate.issued_on)
        .join(Certificate, Certificate.id == CertStatus.certificate_id)
        .where(CertStatus.status.in_(list(ACTIVE)), _only(CertStatus.user_id, user_ids))
    )
    found: dict[int, dict[int, date]] = defaultdict(dict)
    for user_id, level_id, issued_on in rows:
        found[user_id][level_id] = issued_on
    return found

