"""Reading the employee roster HR already keeps (xlsx or csv) into checked rows.

Pure parsing and validation: every row's problems are collected with the spreadsheet row
number and column so the preview can show all of them at once; nothing is written here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

import pandas as pd
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from question_bank.cells import text_cells
from question_bank.formats.encoding import decode_text

COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_no": ("工号", "员工编号", "employee_no"),
    "name": ("姓名", "name"),
    "department": ("部门", "department"),
    "role": ("岗位/角色", "角色", "岗位", "role"),
    "hire_date": ("入职日期", "hire_date"),
    "phone": ("手机", "手机号", "电话", "phone"),
    "leaving_date": ("离职日期", "leaving_date"),
}
REQUIRED = ("employee_no", "name", "department", "role")

# 岗位 titles HR uses, mapped to the roles the system knows.
ROLE_WORDS: dict[str, str] = {
    "employee": "employee",
    "员工": "employee",
    "客服": "employee",
    "客服人员": "employee",
    "客服专员": "employee",
    "坐席": "employee",
    "话务员": "employee",
    "组长": "employee",
    "trainer": "trainer",
    "培训师": "trainer",
    "讲师": "trainer",
    "hr": "hr",
    "人事": "hr",
    "人力资源": "hr",
    "admin": "admin",
    "管理员": "admin",
    "系统管理员": "admin",
}
_ROLE_SPLIT = re.compile(r"[,，、;；/\s]+")
_PHONE = re.compile(r"^\+?\d[\d\- ]{5,19}$")
_EMPLOYEE_NO = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")
HEADER_ROW = 1  # spreadsheet rows are numbered as the user sees them: header is row 1
_PARSER_LINE = re.compile(r"in line (\d+)")


@dataclass
class RosterRow:
    row: int
    employee_no: str
    name: str
    department: str
    roles: frozenset[str]
    position: str
    hire_date: date | None
    phone: str | None
    leaving_date: date | None = None  # a default, so previews staged before it still thaw


@dataclass
class RosterProblem:
    row: int | None
    column: str | None
    message: str


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    def problems_by_row(self) -> dict[int | None, list[RosterProblem]]:
        """Every row's problems together, file-wide ones first, then in spreadsheet order
        (checks against the accounts add theirs after the file's own)."""
        grouped: dict[int | None, list[RosterProblem]] = {}
        for problem in sorted(self.problems, key=lambda p: p.row or 0):
            grouped.setdefault(problem.row, []).append(problem)
        return grouped


def read_table(data: bytes, filename: str, max_rows: int | None = None) -> pd.DataFrame:
    """Load the first sheet (xlsx) or the csv as text cells, never guessing types; with
    `max_rows`, stop reading one row past it (enough to tell the file is too long)."""
    nrows = max_rows + 1 if max_rows is not None else None
    if PurePath(filename).suffix.lower() in {".xlsx", ".xlsm"}:
        return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, nrows=nrows)
    text = io.StringIO(decode_text(data).text)
    return pd.read_csv(text, dtype=str, keep_default_na=False, nrows=nrows)


def _unreadable(filename: str, error: Exception) -> str:
    """Why the file could not be read, in one sentence naming it (never pandas' own words)."""
    if isinstance(error, pd.errors.ParserError) and (line := _PARSER_LINE.search(str(error))):
        return str(_l(
            "「%(name)s」第 %(row)s 行的列数与表头不一致，请检查该行是否多了逗号后重新上传。",
            name=filename, row=line.group(1),
        ))
    if isinstance(error, pd.errors.EmptyDataError):
        return str(_l("「%(name)s」是空文件，请选择有内容的文件重新上传。", name=filename))
    return str(_l(
        "「%(name)s」无法读取，请用 Excel 另存为 .xlsx 或 CSV（UTF-8）后重新上传。", name=filename
    ))


def _column_map(headers: list[str]) -> dict[str, str]:
    """Map our field names to the file's header cells (first alias found wins)."""
    cleaned = {str(h).strip().lower(): str(h) for h in headers}
    found = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias.lower() in cleaned:
                found[key] = cleaned[alias.lower()]
                break
    return found


def parse_roles(text: str) -> tuple[frozenset[str], list[str]]:
    """'客服专员、培训师' -> ({'employee', 'trainer'}, unknown words)."""
    roles, unknown = set(), []
    for word in filter(None, _ROLE_SPLIT.split(text.strip())):
        role = ROLE_WORDS.get(word.lower()) or ROLE_WORDS.get(word)
        if role:
            roles.add(role)
        else:
            unknown.append(word)
    return frozenset(roles), unknown


def parse_date(text: str) -> date:
    """Accept 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 and Excel's datetime text."""
    cleaned = re.sub(r"[年月/.]", "-", text.strip()).rstrip("日").split(" ")[0]
    return datetime.strptime(cleaned, "%Y-%m-%d").date()


class _RowChecker:
    """Collects the problems of one row while extracting its values."""

    def __init__(self, roster: Roster, row: int, headers: dict[str, str], cells: dict) -> None:
        self.roster, self.row, self.headers, self.cells = roster, row, headers, cells

    def value(self, key: str) -> str:
        header = self.headers.get(key)
        return str(self.cells.get(header, "")).strip() if header else ""

    def problem(self, key: str, message: str) -> None:
        column = self.headers.get(key, COLUMNS[key][0])
        self.roster.problems.append(RosterProblem(self.row, column, message))

    def date(self, key: str) -> date | None:
        """The cell as a date; None when blank or unreadable (then a problem is added)."""
        if not (text := self.value(key)):
            return None
        try:
            return parse_date(text)
        except ValueError:
            self.problem(key, str(_l("日期格式不正确: %(text)s (应为 2024-03-01)", text=text)))
            return None

    def required(self, key: str) -> str:
        text = self.value(key)
        if not text:
            self.problem(key, str(_l("不能为空")))
        return text


def _check_row(checker: _RowChecker, seen: dict[str, int]) -> RosterRow | None:
    before = len(checker.roster.problems)
    employee_no = checker.required("employee_no")
    if employee_no and not _EMPLOYEE_NO.match(employee_no):
        checker.problem("employee_no", str(_l("工号只能包含字母、数字、- 和 _")))
    elif employee_no in seen:
        checker.problem(
            "employee_no",
            str(_l("工号 %(no)s 与第 %(row)d 行重复", no=employee_no, row=seen[employee_no])),
        )
    elif employee_no:
        seen[employee_no] = checker.row
    name = checker.required("name")
    department = checker.required("department")
    position = checker.required("role")
    roles, unknown = parse_roles(position)
    if position and (unknown or not roles):
        checker.problem(
            "role", str(_l("未知岗位/角色: %(words)s", words="、".join(unknown) or position))
        )
    hire_date = checker.date("hire_date")
    leaving_date = checker.date("leaving_date")
    if hire_date and leaving_date and leaving_date < hire_date:
        checker.problem("leaving_date", str(_l("离职日期早于入职日期")))
    phone = checker.value("phone") or None
    if phone and not _PHONE.match(phone):
        checker.problem("phone", str(_l("手机号格式不正确: %(text)s", text=phone)))
    if len(checker.roster.problems) > before:
        return None
    return RosterRow(
        checker.row, employee_no, name, department, roles, position, hire_date, phone, leaving_date
    )


def parse_roster(data: bytes, filename: str, max_rows: int | None = None) -> Roster:
    """Read and check every row; a file that cannot be read, or has more than `max_rows`
    rows, becomes a single problem."""
    roster = Roster()
    try:
        table = read_table(data, filename, max_rows)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, not raised
        roster.problems.append(RosterProblem(None, None, _unreadable(filename, exc)))
        return roster
    if max_rows is not None and len(table) > max_rows:
        message = _l(
            "「%(name)s」超过 %(limit)d 行，超过每次导入的上限，请拆分成几个文件分批导入。",
            name=filename, limit=max_rows,
        )
        roster.problems.append(RosterProblem(None, None, str(message)))
        return roster
    headers = _column_map(list(table.columns))
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in headers]
    if missing:
        roster.problems.append(
            RosterProblem(
                HEADER_ROW, None, str(_l("缺少必需的列: %(cols)s", cols="、".join(missing)))
            )
        )
        return roster
    seen: dict[str, int] = {}
    for index, cells in enumerate(table.to_dict("records")):
        if not any(str(v).strip() for v in cells.values()):
            continue  # blank rows between blocks are common in HR sheets
        roster.total_rows += 1
        row = _check_row(_RowChecker(roster, index + HEADER_ROW + 1, headers, cells), seen)
        if row is not None:
            roster.rows.append(row)
    if not roster.total_rows:
        roster.problems.append(RosterProblem(None, None, str(_l("文件中没有数据行"))))
    return roster


def template_xlsx() -> bytes:
    """The downloadable roster template with the expected headers and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "员工名单"
    sheet.append(text_cells(aliases[0] for aliases in COLUMNS.values()))
    sheet.append(text_cells(
        ["E10001", "张三", "示范公司/客服中心/热线一组", "客服专员", "2024-03-01", "13800000000", ""]
    ))
    for column in "ABCDEFG":
        sheet.column_dimensions[column].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
