"""Excel export in the import template's columns, so an exported file re-imports unchanged."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font

from question_bank.cells import guard_formula
from question_bank.formats import sheet_layout as layout
from question_bank.formats._shared import printable
from question_bank.model import Question

_WIDE_COLUMNS = {layout.STEM: 48, layout.EXPLANATION: 32, layout.ANSWER: 16}


def export_xlsx(questions: list[Question]) -> bytes:
    """An .xlsx workbook with one 题目 sheet: the header row, then one row per question."""
    return workbook_bytes(questions_workbook(questions))


def questions_workbook(questions: list[Question]) -> Workbook:
    """The workbook before saving, so the template can add its 说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = layout.QUESTION_SHEET
    option_count = layout.option_columns_needed(questions)
    headers = layout.headers(option_count)
    rows: list[Sequence[layout.Cell]] = [headers, *(layout.question_row(q, option_count) for q in questions)]
    for row_number, row in enumerate(rows, 1):
        for column, value in enumerate(row, 1):
            _write(sheet.cell(row_number, column), value)
    for column, header in enumerate(headers, 1):
        sheet.cell(1, column).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = _WIDE_COLUMNS.get(
            header, 12
        )
    sheet.freeze_panes = "A2"
    return workbook


def _write(cell: Cell, value: layout.Cell) -> None:
    if not isinstance(value, str):
        cell.value = value
    elif value:
        cell.value = guard_formula(printable(value))  # never a formula Excel would evaluate
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
