"""Roster spreadsheets for tests, built with openpyxl like HR's own files."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

HEADER = ["工号", "姓名", "部门", "岗位/角色", "入职日期", "手机", "离职日期"]


def roster_xlsx(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_rows(count: int = 50) -> list[list[object]]:
    teams = [
        "示范公司/客服中心/热线一组",
        "示范公司/客服中心/投诉处理组",
        "示范公司/华北客服中心/热线组",
    ]
    return [
        [
            f"N{2000 + i}",
            f"新员工{i}",
            teams[i % 3],
            "组长" if i % 10 == 0 else "客服专员",
            f"2025-{i % 12 + 1:02d}-01",
            f"1390000{i:04d}",
        ]
        for i in range(count)
    ]


def bad_rows() -> list[list[object]]:
    """Three problems: a duplicate 工号 (row 3), an unknown role (row 4), a bad date (row 5)."""
    return [
        ["B001", "甲", "示范公司/客服中心/热线一组", "客服专员", "2025-01-01", ""],
        ["B001", "乙", "示范公司/客服中心/热线一组", "客服专员", "2025-01-02", ""],
        ["B003", "丙", "示范公司/客服中心/热线一组", "宇航员", "2025-01-03", ""],
        ["B004", "丁", "示范公司/客服中心/热线一组", "客服专员", "2025-13-45", ""],
    ]
