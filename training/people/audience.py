"""Audience: who an assignment reaches. One rule, written once as SQL, for every feature.

Exams, courses (and later role-play scenarios and certification levels) are assigned the same
way: each assignment row names either a department or one user (`Assignable`). The reach rule:

* a department assignment reaches the *active employees* (users holding the employee role)
  whose department is that department or anywhere below it;
* a user assignment reaches that user, whatever their roles, while the account is active.

Why employees only for departments: a department is assigned to train and examine its staff.
Trainers, HR officers and administrators who happen to sit in a department are not its
learners; counting them would list them in 我的考试 and report them as missing. Anyone else
who must sit something is assigned by name. Deactivated accounts are reached by nothing, so
reports count the people who can still sign in.

The rule is a join condition (`reaches`) between an assignment row and a `User` row; both
directions use it — the assignments that reach one user (`reaching`), and the users that a
set of assignments reaches (`reached_user_ids`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Protocol

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from training.database import db
from training.people.models import DEPARTMENT_SEPARATOR, Department, User, UserRole

# The role a department assignment looks for among the department's members.
LEARNER_ROLE = "employee"


class Assignable(Protocol):
    """An assignment model: a department (with its subtree) or one user, never both."""

    id: InstrumentedAttribute[int]
    department_id: InstrumentedAttribute[int | None]
    user_id: InstrumentedAttribute[int | None]


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
    learner = User.roles.any(UserRole.role == LEARNER_ROLE)
    return and_(
        User.active.is_(True),
        or_(assignment.user_id == User.id, and_(assignment.department_id.is_not(None), learner, member)),
    )


def reach(assignment: type[Assignable], *columns) -> Select:
    """SQL selecting these columns over every (assignment, user it reaches) pair."""
    return select(*columns).select_from(assignment).join(User, reaches(assignment))


def reaching(assignment: type[Assignable], user: User, *columns) -> Select:
    """SQL selecting these columns of the assignments that reach `user`."""
    return reach(assignment, *columns).where(User.id == user.id)


def reached_user_ids(assignment: type[Assignable], *criteria) -> Select[tuple[int]]:
    """SQL selecting the ids of the users reached by the assignments matching `criteria`."""
    return reach(assignment, User.id).where(*criteria).distinct()


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
