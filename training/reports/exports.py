"""A `Report` written as Excel, CSV or PDF: the same tables and charts as its page.

Each format is read differently, so each writes the values its own way, from the column's kind:
- Excel keeps numbers as numbers for sorting and sums: a percentage is a fraction with a percent
  format, a day is a date, a mean has two decimals; a sheet per table, header bold and frozen.
- CSV is opened by Excel as often as by scripts: UTF-8 with a BOM (or Excel shows Chinese as
  mojibake), percentages as numbers with "(%)" in the heading, several tables one after another,
  each under a line with its title.
- PDF is read by people: numbers as the page shows them, charts as the page's SVG, the filters
  spelled out at the top, so a printed copy says what it covers.
Text that looks like a formula (=, +, -, @) is guarded in Excel and CSV (`question_bank.cells`).
"""

from __future__ import annotations

import base64
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from weasyprint import CSS, HTML

from question_bank.cells import guard_formula
from question_bank.export.xlsx import workbook_bytes
from training.database import db, utcnow
from training.reports.document import Column, Kind, Report, Table
from training.reports.filters import Filters
from training.spreadsheets import XLSX_MIMETYPE, Cell, Percent, When, append_row, header
from training.timezones import to_local

PDF_STYLESHEET = Path("css") / "report-pdf.css"
NUMBER_FORMATS = {Kind.INT: "0", Kind.NUMBER: "0.00"}
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


class Format(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    PDF = "pdf"


MIMETYPES = {Format.XLSX: XLSX_MIMETYPE, Format.CSV: "text/csv; charset=utf-8",
             Format.PDF: "application/pdf"}


def export(report: Report, file_format: Format) -> bytes:
    """The report as a file in `file_format`."""
    writers = {Format.XLSX: to_xlsx, Format.CSV: to_csv, Format.PDF: to_pdf}
    return writers[file_format](report)


# --- Excel -------------------------------------------------------------------------------


def to_xlsx(report: Report) -> bytes:
    """A workbook with a sheet per table (an empty report gets one sheet saying so)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report.title
    workbook.properties.description = "; ".join(
        f"{label}: {value}" for label, value in describe_filters(report.filters)
    )
    used: set[str] = set()
    for table in report.tables or (Table(report.title, (Column(_("说明")),), [[_("无数据")]]),):
        sheet = workbook.create_sheet(sheet_name(table.title, used))
        header(sheet, [column.title for column in table.columns], _column_widths(table))
        formats = [NUMBER_FORMATS.get(column.kind) for column in table.columns]
        for row in table.rows:
            cells = [_excel_cell(value, column.kind) for value, column in zip(
                row, table.columns, strict=False)]
            append_row(sheet, cells, formats)
    return workbook_bytes(workbook)


def _excel_cell(value: Cell, kind: Kind) -> Cell:
    """A plain value as the typed cell its column's kind asks for."""
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if kind is Kind.PERCENT and numeric:
        return Percent(float(value))  # type: ignore[arg-type]
    if isinstance(value, datetime) and kind in (Kind.DATE, Kind.DATETIME):
        return When(value, date_only=kind is Kind.DATE)
    return value


def sheet_name(title: str, used: set[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip() or "Sheet"
    name, n = base[:SHEET_NAME_MAX], 1
    while name.lower() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    used.add(name.lower())
    return name


def _column_widths(table: Table) -> list[float]:
    """Widths that fit the heading and the first rows, Chinese characters counting double."""
    widths = []
    for index, column in enumerate(table.columns):
        texts = [column.title] + [
            display(row[index], column.kind) for row in table.rows[:200] if index < len(row)
        ]
        widths.append(min(50.0, max(8.0, max(_text_width(text) for text in texts) + 2.0)))
    return widths


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


# --- CSV ---------------------------------------------------------------------------------


def to_csv(report: Report) -> bytes:
    """UTF-8 with a BOM; with several tables, each follows a line holding its title."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    several = len(report.tables) > 1
    for number, table in enumerate(report.tables):
        if several:
            if number:
                writer.writerow([])
            writer.writerow([guard_formula(table.title)])
        writer.writerow([guard_formula(_csv_heading(column)) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_value(value, column.kind) for value, column in zip(
                row, table.columns, strict=False)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_heading(column: Column) -> str:
    return f"{column.title} (%)" if column.kind is Kind.PERCENT else column.title


def _csv_value(value: Cell, kind: Kind) -> str:
    text = display(value, kind, percent_sign=False)
    return guard_formula(text) if isinstance(value, str) else text


# --- Text as people read it (CSV, PDF) ---------------------------------------------------


def display(value: Cell, kind: Kind, *, percent_sign: bool = True) -> str:
    """A value as the page shows it: two decimals, percentages with %, local times."""
    if isinstance(value, Percent):
        value, kind = value.value, Kind.PERCENT
    if isinstance(value, When):
        local = to_local(value.value)
        return "" if local is None else _day_or_time(local, value.date_only)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        return _day_or_time(to_local(value) or value, kind is Kind.DATE)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and kind in (Kind.NUMBER, Kind.PERCENT):
        text = f"{value:.2f}"
        return text + "%" if kind is Kind.PERCENT and percent_sign else text
    return str(value)


def _day_or_time(local: datetime, date_only: bool) -> str:
    return local.date().isoformat() if date_only else local.strftime("%Y-%m-%d %H:%M")


def describe_filters(filters: Filters) -> list[tuple[str, str]]:
    """The filters as (label, value) lines a reader understands: names, not ids."""
    from training.courses.models import Course
    from training.exams.models import Exam
    from training.people.models import User

    lines: list[tuple[str, str]] = []
    if filters.date_from or filters.date_to:
        start = filters.date_from.isoformat() if filters.date_from else "…"
        end = filters.date_to.isoformat() if filters.date_to else "…"
        lines.append((_("期间"), f"{start} – {end}"))
    if filters.department:
        lines.append((_("部门"), filters.department))
    if filters.position:
        lines.append((_("岗位"), filters.position))
    if filters.exam_ids:
        titles = {exam.id: exam.title for exam in db.session.scalars(
            db.select(Exam).where(Exam.id.in_(filters.exam_ids)))}
        lines.append((_("考试"), "、".join(titles.get(i, f"#{i}") for i in filters.exam_ids)))
    if filters.course_id is not None:
        course = db.session.get(Course, filters.course_id)
        lines.append((_("课程"), course.title if course else f"#{filters.course_id}"))
    if filters.user_id is not None:
        user = db.session.get(User, filters.user_id)
        lines.append((_("员工"), user.display_name if user else f"#{filters.user_id}"))
    return lines


# --- PDF ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedTable:
    title: str
    headings: tuple[str, ...]
    numeric: tuple[bool, ...]  # right-aligned columns
    rows: list[list[str]]


def to_pdf(report: Report) -> bytes:
    """The page's tables and SVG charts, set in a CJK font, filters at the top.

    Rendered straight from the template environment: a background job has no request, hence
    no signed-in user for the page context processors."""
    html = current_app.jinja_env.get_template("reports/pdf.html").render(
        report=report,
        filters=describe_filters(report.filters),
        tables=[_printed(table) for table in report.tables],
        charts=[(chart.title, _data_uri(chart.svg)) for chart in report.charts],
        now=utcnow(),
    )
    stylesheet = CSS(filename=Path(current_app.static_folder or "") / PDF_STYLESHEET)
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


def _printed(table: Table) -> PrintedTable:
    return PrintedTable(
        title=table.title,
        headings=tuple(column.title for column in table.columns),
        numeric=tuple(column.kind in (Kind.INT, Kind.NUMBER, Kind.PERCENT)
                      for column in table.columns),
        rows=[_texts(row, table.columns) for row in table.rows],
    )


def _texts(row: Sequence[Cell], columns: Iterable[Column]) -> list[str]:
    return [display(value, column.kind) for value, column in zip(row, columns, strict=False)]


def _data_uri(svg: bytes) -> str:
    """An <img> source holding the SVG itself: WeasyPrint fetches nothing over the network."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
