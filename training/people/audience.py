"""Audience: who an assignment reaches. One rule, written once as SQL, for every feature.

Exams, courses, role-play scenarios (and later certification levels) are assigned the same
way: each assignment row names one user, or a group — a department, a position (岗位), or a
position within a department (`Assignable`) — and may carry a due date. The reach rule:

* a group assignment reaches the *active employees* (users holding the employee role) who
  match every part it names: a department reaches those whose department is that department
  or anywhere below it; a position reaches those whose `User.position` is exactly that text;
  both together reach the holders of that position within that department's subtree (so
  "热线一组 · 组长" means the team leaders of 热线一组, not every team leader and every member);
* a user assignment reaches that user, whatever their roles, while the account is active.

Why employees only for groups: a department or a position is assigned to train and examine its
staff. Trainers, HR officers and administrators who happen to sit in a department are not its
learners; counting them would list them in 我的考试 and report them as missing. Anyone else
who must sit something is assigned by name. Deactivated accounts are reached by nothing, so
reports count the people who can still sign in.

A person reached by several assignments of one thing is due by the earliest due date among
them (`due_dates`); an assignment without a due date sets none.

The rule is a join condition (`reaches`) between an assignment row and a `User` row; both
directions use it — the assignments that reach one user (`reaching`), and the users that a
set of assignments reaches (`reached_user_ids`, `reach_counts`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol, TypeVar

from flask_babel import gettext as _
from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Index,
    Integer,
    Select,
    UniqueConstraint,
    and_,
    cast,
    exists,
    func,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, aliased

from training.audit.services import record
from training.database import db
from training.errors import DomainError, NotFound
from training.people.models import DEPARTMENT_SEPARATOR, Department, User, UserRole

# The role a group assignment looks for among the people it names.
LEARNER_ROLE = "employee"


class Assignable(Protocol):
    """An assignment model: one user, or a department and/or a position (see the module)."""

    id: InstrumentedAttribute[int]
    department_id: InstrumentedAttribute[int | None]
    position: InstrumentedAttribute[str | None]
    user_id: InstrumentedAttribute[int | None]
    due_at: InstrumentedAttribute[Any]


A = TypeVar("A")


def assignment_constraints(table: str, owner: str) -> tuple[Any, ...]:
    """The `__table_args__` every assignment table shares: one kind of target per row, and
    each target at most once per `owner` (the exam, course, ... column). Unique constraints
    treat NULLs as distinct, so the department-only and position-only rows get partial unique
    indexes of their own."""
    def partial(name: str, column: str, where: str) -> Index:
        clause = text(where)
        return Index(f"uq_{table}_{name}", owner, column, unique=True,
                     sqlite_where=clause, postgresql_where=clause)

    return (
        CheckConstraint(
            "(user_id IS NOT NULL) <> (department_id IS NOT NULL OR position IS NOT NULL)",
            name="one_target",
        ),
        UniqueConstraint(owner, "user_id"),
        UniqueConstraint(owner, "department_id", "position"),
        partial("department_only", "department_id", "position IS NULL"),
        partial("position_only", "position", "department_id IS NULL"),
    )


@dataclass(frozen=True)
class Target:
    """Whom one assignment row names: a user, or a department and/or a position."""

    department_id: int | None = None
    position: str | None = None
    user_id: int | None = None


def target_of(row: Any) -> Target:
    return Target(row.department_id, row.position, row.user_id)


def targets(department_ids: Iterable[int], positions: Iterable[str],
            user_ids: Iterable[int]) -> list[Target]:
    """The rows an assignment form asks for: each department × each position (a position
    within a department), departments or positions alone when the other is not chosen, and
    each user; in a stable order, without repeats."""
    departments: list[int | None] = sorted(set(department_ids)) or [None]
    kinds: list[str | None] = sorted({p.strip() for p in positions if p.strip()}) or [None]
    groups = [Target(d, p) for d in departments for p in kinds if d is not None or p is not None]
    return groups + [Target(user_id=u) for u in sorted(set(user_ids))]


def existing_targets(wanted: Iterable[Target], due_at: datetime | None, now: datetime) -> list[Target]:
    """The wanted targets whose department and user exist (a stale form may name deleted ones);
    refuses a form that names nobody that exists, or a due date already gone."""
    wanted = list(wanted)
    departments = set(db.session.scalars(select(Department.id).where(
        Department.id.in_({t.department_id for t in wanted if t.department_id}))))
    users = set(db.session.scalars(select(User.id).where(
        User.id.in_({t.user_id for t in wanted if t.user_id}))))
    found = [t for t in wanted if (t.department_id is None or t.department_id in departments)
             and (t.user_id is None or t.user_id in users)]
    if not found:
        raise DomainError(_("请选择部门、岗位或填写人员"))
    if due_at is not None and due_at < now:
        raise DomainError(_("请选择今天或以后的截止日期"))
    return found


def audit_details(wanted: list[Target], due_at: datetime | None) -> dict[str, Any]:
    """What an audit line of an assignment records: its targets and due date."""
    return {"targets": [asdict(t) for t in wanted],
            "due_at": due_at.isoformat() if due_at else None}


def place(rows: list[A], model: type[A], wanted: Iterable[Target], **values: Any) -> int:
    """Add a `model` row to `rows` (an owner's assignments) for each wanted target, or update
    the row already aiming there, setting `values` (due date, ...) on each; how many."""
    current = {target_of(row): row for row in rows}
    count = 0
    for target in wanted:
        row = current.get(target)
        if row is None:
            row = model(department_id=target.department_id, position=target.position,
                        user_id=target.user_id)
            rows.append(row)
        for name, value in values.items():
            setattr(row, name, value)
        count += 1
    return count


def unassign(owner: Any, assignment: Any, *, action: str, actor: Any) -> None:
    """Take one assignment off `owner` (its `assignments`), the audit line `action` naming whom
    it reached; what was done under it (attempts, runs, progress) stays."""
    record(actor, action, owner, **audit_details([target_of(assignment)], None))
    owner.assignments.remove(assignment)


def owned_assignment(model: type[A], assignment_id: int, *, owner_field: str, owner_id: int,
                     missing: str) -> A:
    """The `model` row `assignment_id` if its `owner_field` is `owner_id`, else NotFound(missing):
    an assignment id from another owner's URL must not reach this one."""
    assignment = db.session.get(model, assignment_id)
    if assignment is None or getattr(assignment, owner_field) != owner_id:
        raise NotFound(missing)
    return assignment


def positions() -> list[str]:
    """The positions some active employee holds (only employees are reached by a position),
    for the assignment pickers."""
    return list(db.session.scalars(
        select(User.position).where(User.active.is_(True), User.position.is_not(None),
                                    User.position != "",
                                    User.roles.any(UserRole.role == LEARNER_ROLE))
        .distinct().order_by(User.position)
    ))


def in_subtree(path: ColumnElement[str], root: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL: the department at `path` is `root` or below it (exact prefix, no LIKE wildcards,
    so a '_' or '%' in a department name matches only itself)."""
    prefix = root + DEPARTMENT_SEPARATOR
    return or_(path == root, func.substr(path, 1, func.length(prefix)) == prefix)


@cache
def reaches(assignment: type[Assignable]) -> ColumnElement[bool]:
    """SQL on an assignment row and a `User` row: the assignment reaches that user (see module).

    Built once per assignment model (SQL expressions never change): every page that lists
    exams or courses and every Start asks, and building it cost an eighth of a Start.
    """
    target, home = aliased(Department), aliased(Department)
    member = exists().where(
        target.id == assignment.department_id,
        home.id == User.department_id,
        in_subtree(home.path, target.path),
    )
    group = and_(
        assignment.user_id.is_(None),
        User.roles.any(UserRole.role == LEARNER_ROLE),
        or_(assignment.department_id.is_(None), member),
        or_(assignment.position.is_(None), User.position == assignment.position),
    )
    return and_(User.active.is_(True), or_(assignment.user_id == User.id, group))


def reach(assignment: type[Assignable], *columns) -> Select:
    """SQL selecting these columns over every (assignment, user it reaches) pair."""
    return select(*columns).select_from(assignment).join(User, reaches(assignment))


def reaching(assignment: type[Assignable], user: User, *columns) -> Select:
    """SQL selecting these columns of the assignments that reach `user`."""
    return reach(assignment, *columns).where(User.id == user.id)


def reached_user_ids(assignment: type[Assignable], *criteria) -> Select[tuple[int]]:
    """SQL selecting the ids of the users reached by the assignments matching `criteria`."""
    return reach(assignment, User.id).where(*criteria).distinct()


def due_dates(assignment: type[Assignable],
              owner: ColumnElement[int] | InstrumentedAttribute[int], *criteria) -> Select:
    """SQL: per (owner id, user id) reached by the assignments matching `criteria`, the
    earliest due date among them (NULL when none sets one); columns owner_id, user_id, due_at."""
    return (
        reach(assignment, owner.label("owner_id"), User.id.label("user_id"),
              func.min(assignment.due_at).label("due_at"))
        .where(*criteria)
        .group_by(owner, User.id)
    )


@dataclass(frozen=True)
class ReachCounts:
    """How many people each assignment reaches, and all of them together (no one twice)."""

    per_assignment: dict[int, int]
    total: int

    def of(self, assignment: Any) -> int:
        return self.per_assignment.get(assignment.id, 0)


def reach_counts(assignment: type[Assignable], *criteria) -> ReachCounts:
    """Count who the assignments matching `criteria` reach, in one SQL statement."""
    pairs = reach(assignment, assignment.id.label("assignment_id"), User.id.label("user_id")) \
        .where(*criteria).subquery()
    each = select(pairs.c.assignment_id, func.count()).group_by(pairs.c.assignment_id)
    everyone = select(cast(null(), Integer), func.count(pairs.c.user_id.distinct()))
    rows = db.session.execute(union_all(each, everyone)).all()
    return ReachCounts({a: n for a, n in rows if a is not None},
                       next(n for a, n in rows if a is None))


def is_overdue(due_at: datetime | None, done: bool, now: datetime) -> bool:
    """Overdue: a due date that has passed on something not yet done (passed, completed)."""
    return not done and due_at is not None and now > due_at


def find_users(text: str) -> tuple[list[User], list[str]]:
    """Users named by login name or 工号 (one a line or comma-separated), and names not found."""
    names = [n for n in re.split(r"[\s,，、;；]+", text) if n]
    if not names:
        return [], []
    folded = {n.lower() for n in names}
    users = list(db.session.scalars(
        select(User).where(or_(func.lower(User.username).in_(folded), User.employee_no.in_(names)))
    ))
    found = {u.username.lower() for u in users} | {(u.employee_no or "") for u in users}
    return users, [n for n in names if n.lower() not in found and n not in found]
