"""What every report page shares: the index of reports, the filter form's choices, the export
links and rendering a `Report`.

A report page's view is: read `Filters.from_args(request.args)`, build the report by name
(`document.build`), and `render_report(report, fields=...)`. The filter form shows only the
fields named (`FIELDS`), filled from the filters, so the URL stays the report's address.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import LazyString
from flask_babel import gettext as _
from sqlalchemy import select

from training.courses.models import Course
from training.database import db
from training.exams.models import Exam
from training.people.audience import positions
from training.people.models import Department
from training.reports.document import Chart, Column, Kind, Report
from training.spreadsheets import Cell, Percent, When
from training.templating import local_datetime

# The filter fields a report page may show, in the form's order.
FIELDS = ("from", "to", "department", "position", "exam", "exams", "course")


@dataclass(frozen=True)
class ReportPage:
    """An entry of the reports index: a page, what it answers, who sees it."""

    endpoint: str
    title: LazyString
    description: LazyString
    icon: str
    roles: frozenset[str]
    order: int


REPORT_PAGES: list[ReportPage] = []


def register_page(endpoint: str, title: LazyString, description: LazyString, icon: str,
                  *roles: str, order: int = 100) -> None:
    """List a report page on the reports index for holders of `roles` (HR and trainers by
    default)."""
    REPORT_PAGES.append(ReportPage(endpoint, title, description, icon,
                                   frozenset(roles or ("hr", "trainer")), order))
    REPORT_PAGES.sort(key=lambda page: page.order)


def pages_for(roles: frozenset[str]) -> list[ReportPage]:
    """The index's entries this user may open."""
    return [page for page in REPORT_PAGES
            if "admin" in roles or page.roles & roles]


@dataclass(frozen=True)
class FilterChoices:
    """The options of the filter form's selects (only those of the fields shown are read)."""

    departments: list[str]
    positions: list[str]
    exams: list[tuple[int, str]]
    courses: list[tuple[int, str]]


def filter_choices(fields: Iterable[str]) -> FilterChoices:
    """The select options the named fields need, one query each, none for fields not shown."""
    wanted = set(fields)
    departments = (list(db.session.scalars(select(Department.path).order_by(Department.path)))
                   if "department" in wanted else [])
    exams = ([(row.id, row.title) for row in db.session.execute(
        select(Exam.id, Exam.title).order_by(Exam.opens_at.desc(), Exam.id.desc()))]
             if wanted & {"exam", "exams"} else [])
    courses = ([(row.id, row.title) for row in db.session.execute(
        select(Course.id, Course.title).order_by(Course.title))] if "course" in wanted else [])
    return FilterChoices(departments, positions() if "position" in wanted else [], exams, courses)


def chart_src(chart: Chart) -> str:
    """The chart as a data: URL for <img> (the CSP allows data: images; see `charts`), so the
    picture is the one built with the report's numbers, not a second build."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg).decode("ascii")


def render_report(report: Report, *, fields: Iterable[str], template: str = "reports/report.html",
                  **context: Any) -> str:
    """The report's page: its filter form (the named fields), exports, notes, charts, tables."""
    shown = tuple(field for field in FIELDS if field in set(fields))
    return render_template(template, report=report, fields=shown,
                           choices=filter_choices(shown), **context)



def cell_text(value: Cell, column: Column) -> str:
    """A cell as the page shows it: percentages and numbers with two decimals, local times."""
    if isinstance(value, Percent):
        value = value.value
    if value is None:
        return "—"
    if isinstance(value, When):
        return local_datetime(value.value, "yyyy-MM-dd" if value.date_only else "yyyy-MM-dd HH:mm")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int | float) and column.kind == Kind.PERCENT:
        return f"{value:.2f}%"
    if isinstance(value, float) and column.kind in (Kind.NUMBER, Kind.TEXT):
        return f"{value:.2f}"
    return str(value)
