"""How a report's filters narrow SQL: who (department subtree, position), when (local days).

Every builder scopes its grouped queries with these, so "客服中心" means the same people and
"2026-11" the same instants in every report, its export and its previous-period comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from calendar import monthrange
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import get_timezone

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    String,
    and_,
    cast,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.orm import aliased

from training.database import db
from training.people.audience import in_subtree
from training.people.models import Department, User
from training.reports.filters import Filters
from training.timezones import local_midnight

NO_DEPARTMENT = "—"  # the bucket of people who belong to no department


def people(filters: Filters) -> list[ColumnElement[bool]]:
    """SQL criteria on User for the filters' department subtree and position."""
    criteria: list[ColumnElement[bool]] = []
    if filters.department:
        criteria.append(User.department_id.in_(
            select(Department.id).where(in_subtree(Department.path, literal(filters.department)))))
    if filters.position:
        criteria.append(User.position == filters.position)
    if filters.user_id is not None:
        criteria.append(User.id == filters.user_id)
    return criteria


def during(column: ColumnElement, filters: Filters) -> list[ColumnElement[bool]]:
    """SQL criteria: the stored UTC instant falls on one of the filters' local days."""
    criteria: list[ColumnElement[bool]] = []
    if filters.date_from:
        criteria.append(column >= local_midnight(filters.date_from))
    if filters.date_to:
        criteria.append(column < local_midnight(filters.date_to + timedelta(days=1)))
    return criteria


@dataclass(frozen=True)
class Buckets:
    """The departments a report puts side by side: one level below the chosen department
    (or the top level), each standing for its whole subtree; a chosen department without
    children is its own single bucket."""

    paths: tuple[str, ...]

    def join(self, stmt: Select, user_path: ColumnElement[str]) -> tuple[Select, ColumnElement[str]]:
        """Join the bucket rows to a statement that has the user's Department path (outer
        joined) as `user_path`; returns it with the bucket's path column to group by. People
        outside every bucket drop out; people without a department land in NO_DEPARTMENT."""
        bucket = union_all(*(select(cast(literal(path), String(500)).label("path"))
                             for path in self.paths)).subquery("bucket")
        joined = stmt.join(bucket, or_(in_subtree(user_path, bucket.c.path),
                                       and_(user_path.is_(None), bucket.c.path == NO_DEPARTMENT)))
        return joined, bucket.c.path


def buckets(filters: Filters) -> Buckets:
    """The departments to compare for these filters, in path order."""
    parent = filters.department
    child = aliased(Department)
    if parent:
        stmt = select(child.path).join(Department, Department.id == child.parent_id).where(
            Department.path == parent)
    else:
        stmt = select(child.path).where(child.parent_id.is_(None))
    paths = tuple(sorted(db.session.scalars(stmt)))
    if parent:
        return Buckets(paths or (parent,))
    return Buckets((*paths, NO_DEPARTMENT))


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period to compare with: from the 1st of a month, the same days as many months
    earlier (1–6 Dec → 1–6 Nov; a whole quarter → the quarter before, 31 Dec → 30 Sep);
    otherwise the same number of days just before."""
    if date_from.day == 1:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        return _add_months(date_from, -months), _add_months(date_to, -months)
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative); a month end stays a month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last = monthrange(year, month)[1]
    month_end = day.day == monthrange(day.year, day.month)[1]
    return date(year, month, last if month_end else min(day.day, last))
