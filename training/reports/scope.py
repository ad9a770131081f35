"""The filters as SQL: who a report counts (department subtree, position) and when (a period of
local calendar days). Every report query takes its criteria from here, so "客服中心 in March"
means the same people and the same days on every page, export and API answer; and which
departments a report puts side by side, and which period it compares with.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
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
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from training.database import db
from training.people.audience import in_subtree
from training.people.models import DEPARTMENT_SEPARATOR, Department, User
from training.reports.filters import Filters
from training.timezones import local_midnight

NO_DEPARTMENT = "—"  # the bucket of people who belong to no department


def people(filters: Filters) -> list[ColumnElement[bool]]:
    """SQL on `User`: the user's department is the filter's or below it, and holds the position."""
    criteria: list[ColumnElement[bool]] = []
    if filters.department:
        home = aliased(Department)  # the outer query may join Department itself
        path = select(home.path).where(home.id == User.department_id).scalar_subquery()
        criteria.append(in_subtree(path, literal(filters.department)))
    if filters.position:
        criteria.append(User.position == filters.position)
    return criteria


def period(filters: Filters, moment: ColumnElement) -> list[ColumnElement[bool]]:
    """SQL: the stored UTC `moment` falls on one of the period's local days (both ends included)."""
    criteria: list[ColumnElement[bool]] = []
    if filters.date_from and filters.date_from > date.min:
        criteria.append(moment >= _midnight(filters.date_from))
    if filters.date_to and filters.date_to < date.max:
        criteria.append(moment < _midnight(filters.date_to + timedelta(days=1)))
    return criteria


def _midnight(day: date) -> datetime:
    """`local_midnight`, with the first days of year 1 (before UTC's year 1) as the earliest."""
    try:
        return local_midnight(day)
    except OverflowError:
        return datetime.min


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

    def of_departments(self) -> dict[int | None, str]:
        """Each department's bucket by department id (None: no department), the rule `join`
        applies in SQL, for statements grouped by department id; departments outside every
        bucket are left out."""
        found: dict[int | None, str] = {}
        if NO_DEPARTMENT in self.paths:
            found[None] = NO_DEPARTMENT
        for department_id, path in db.session.execute(select(Department.id, Department.path)):
            for bucket in self.paths:
                if path == bucket or path.startswith(bucket + DEPARTMENT_SEPARATOR):
                    found[department_id] = bucket
        return found


def _children(parent: str | None) -> tuple[str, ...]:
    child = aliased(Department)
    if parent is None:
        stmt = select(child.path).where(child.parent_id.is_(None))
    else:
        stmt = select(child.path).join(Department, Department.id == child.parent_id).where(
            Department.path == parent)
    return tuple(sorted(db.session.scalars(stmt)))


def buckets(filters: Filters) -> Buckets:
    """The departments to compare for these filters, in path order. A level with a single
    department (the one company above its centres) is looked through to the level below."""
    parent = filters.department
    paths = _children(parent)
    while len(paths) == 1 and (below := _children(paths[0])):
        parent, paths = paths[0], below
    if filters.department:
        return Buckets(paths or (filters.department,))
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


class local_date(FunctionElement):  # noqa: N801  (an SQL function's name)
    """SQL: the local calendar day of a stored UTC instant, in the configured zone's offset
    now (the company's zone, Asia/Shanghai, keeps one offset all year)."""

    type = Date()
    inherit_cache = True


def _offset_minutes() -> int:
    offset = datetime.now(get_timezone()).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


@compiles(local_date, "sqlite")
def _local_date_sqlite(element: local_date, compiler: Any, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"date({column}, '{_offset_minutes():+d} minutes')"


@compiles(local_date, "postgresql")
def _local_date_postgresql(element: local_date, compiler: Any, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"CAST({column} + INTERVAL '{_offset_minutes():d} minutes' AS DATE)"
