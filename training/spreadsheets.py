"""Excel reports the app writes: one way to make a row, a percentage, a time and the download.

A report is read by people who sort, sum and chart it, so numbers go in as numbers — a
percentage as a fraction with a percent format (0.14 shown as 14%), never the text "14%" —
and times as the local date-times they are. Text is guarded (`question_bank.cells`), so a
name typed as `=HYPERLINK(...)` stays text in any spreadsheet program. The header row is bold
and frozen, so it stays in view while the reader scrolls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, current_app
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from question_bank.cells import guard_formula
from question_bank.export.xlsx import workbook_bytes
from training.timezones import to_local

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = "0.0%"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Percent:
    """A share written as a number with a percent format: `Percent(14.29)` shows 14.3%."""

    value: float | None  # in percent (0–100), as pages show it; None leaves the cell empty


@dataclass(frozen=True)
class When:
    """A stored UTC time written as the local date-time (or date) it is, in the app's zone."""

    value: datetime | None
    date_only: bool = False


Cell = str | int | float | bool | None | Percent | When | date


def append_row(
    sheet: Worksheet, values: Sequence[Cell], number_formats: Sequence[str | None] = ()
) -> None:
    """One row: text guarded, numbers as numbers, percentages and times formatted.

    `number_formats` gives, per column, the format of plain numbers ("0.00" for a mean);
    percentages, times and calendar days (a `date`) always carry their own."""
    sheet.append([_value(value) for value in values])
    formats = list(number_formats) + [None] * (len(values) - len(number_formats))
    for cell, value, number_format in zip(sheet[sheet.max_row], values, formats, strict=False):
        if isinstance(value, Percent):
            cell.number_format = PERCENT_FORMAT
        elif isinstance(value, When):
            cell.number_format = DATE_FORMAT if value.date_only else DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        elif number_format and isinstance(value, int | float) and not isinstance(value, bool):
            cell.number_format = number_format


def _value(value: Cell) -> object:
    if isinstance(value, str):
        return guard_formula(value)
    if isinstance(value, Percent):
        return None if value.value is None else value.value / 100
    if isinstance(value, When):
        local = to_local(value.value)
        return local.date() if local is not None and value.date_only else local
    return value


def header(sheet: Worksheet, titles: Iterable[str], widths: Iterable[float] = ()) -> None:
    """The sheet's first row, bold and frozen, and the columns' widths in characters."""
    append_row(sheet, [str(title) for title in titles])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for cell, width in zip(sheet[1], widths, strict=False):
        sheet.column_dimensions[cell.column_letter].width = width


def xlsx_download(workbook: Workbook, filename: str) -> Response:
    """The workbook as a download named `filename` (any characters: RFC 5987 encoding)."""
    return file_download(workbook_bytes(workbook), filename, XLSX_MIMETYPE)


def file_download(data: bytes, filename: str, mimetype: str) -> Response:
    """Any exported file as a download named `filename` (any characters: RFC 5987 encoding)."""
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
