"""The status board as an Excel sheet: the same numbers as the page, one row per department and
level, then the totals."""

from __future__ import annotations

from flask_babel import gettext as _
from openpyxl import Workbook

from training.certification.labels import BUCKET_LABELS
from training.certification.queries import BUCKETS, Board
from training.spreadsheets import append_row, header


def board_workbook(board: Board) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("认证状态")
    header(sheet, [_("部门"), _("认证等级"), *[str(BUCKET_LABELS[b]) for b in BUCKETS], _("合计")],
           widths=[36, 18, *[12] * len(BUCKETS), 10])
    lines = [(row.department.path if row.department else _("（无部门）"), row.cells)
             for row in board.rows]
    lines.append((_("合计"), board.totals))
    for name, cells in lines:
        for level in board.levels:
            counts = cells[level.id]
            append_row(sheet, [name, level.name, *[counts[b] for b in BUCKETS], counts.total])
    return workbook
