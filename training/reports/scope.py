"""The filters as SQL: who a report counts (department subtree, position) and when (a period of
local calendar days). Every report query takes its criteria from here, so "客服中心 in March"
means the same people and the same days on every page, export and API answer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, literal, select
from sqlalchemy.orm import aliased

from training.people.audience import in_subtree
from training.people.models import Department, User
from training.reports.filters import Filters
from training.timezones import local_midnight


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
