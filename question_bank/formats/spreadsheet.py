"""Excel (.xlsx) and CSV question templates with Chinese headers, one question per row.

Columns are in `sheet_layout`: 题型, 题干, 选项A..选项H (more if needed), 答案, 解析, 分值, 难度,
分类, 知识点, 标签; only 题型 and 题干 are required and column order is free. Every problem says
"第 N 行, 字段: ..." with N the row number Excel shows (the header is row 1). CSV files may be
UTF-8 (with or without BOM), GBK or GB18030, comma- or tab-separated.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import load_workbook

from question_bank.cells import text_cells, unguard_formula
from question_bank.export.xlsx import questions_workbook, workbook_bytes
from question_bank.formats import sheet_layout as layout
from question_bank.formats._shared import finish
from question_bank.formats.encoding import decode_text
from question_bank.model import ImportResult, Option, Problem, Question, Source
from question_bank.texts import N_
from question_bank.types import QuestionType, all_types, lookup_type

HELP_SHEET = "说明"
_OPTION_HEADER = re.compile(re.escape(layout.OPTION_PREFIX) + r"([A-Z])")
_KNOWN_HEADERS = frozenset(layout.headers(26))


def parse_xlsx(data: bytes, filename: str | None = None) -> ImportResult:
    """Parse the 题目 sheet (or the first sheet) of an .xlsx workbook."""
    try:
        rows = _xlsx_rows(data)
    except Exception:  # openpyxl and zipfile raise many types for a damaged file
        message = N_("无法读取 Excel 文件, 请另存为 .xlsx 后重试")
        return ImportResult(format="xlsx", problems=[Problem(None, "error", message)])
    return _parse_rows(rows, "xlsx", filename)


def parse_csv(data: bytes, filename: str | None = None) -> ImportResult:
    """Parse a CSV file in the template's columns."""
    text = decode_text(data).text
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        message = N_("CSV 格式错误: %(detail)s", detail=error)
        return ImportResult(format="csv", problems=[Problem(None, "error", message)])
    return _parse_rows(rows, "csv", filename)


def _xlsx_rows(data: bytes) -> list[tuple[Any, ...]]:
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it drops; the values are what matters.
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = (
            workbook[layout.QUESTION_SHEET]
            if layout.QUESTION_SHEET in workbook
            else workbook.worksheets[0]
        )
        return list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """What a person sees in the cell: 2.0 as '2', TRUE as 'true', text without edge spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unguard_formula(str(value)).strip()  # our export's "'=..." reads back as "=..."


def _header_key(cell: Any) -> str:
    """'选项 a' and '选项Ａ' both read as '选项A'."""
    key = "".join(unicodedata.normalize("NFKC", _cell_text(cell)).split())
    option = _OPTION_HEADER.fullmatch(key.upper())
    return layout.option_header(option.group(1)) if option else key


def _parse_rows(
    rows: Sequence[Sequence[Any]], format_name: str, filename: str | None
) -> ImportResult:
    result = ImportResult(format=format_name)
    if not rows:
        result.problems.append(Problem(1, "error", N_("表头: 文件是空的")))
        return result
    header = [_header_key(cell) for cell in rows[0]]
    result.problems.extend(_header_problems(header))
    if not result.has_errors:
        for number, row in enumerate(rows[1:], 2):
            cells = {key: _cell_text(value) for key, value in zip(header, row, strict=False) if key}
            if any(cells.values()):
                _read_row(cells, number, filename, result)
    finish(result)
    for problem in result.problems:
        problem.message = N_("第 %(row)s 行, %(error)s", row=problem.line, error=problem.message)
    return result


def _header_problems(header: list[str]) -> Iterable[Problem]:
    for required in (layout.TYPE, layout.STEM):
        if required not in header:
            yield Problem(1, "error", N_("表头: 缺少「%(column)s」列", column=required))
    for key in header:
        if key and key not in _KNOWN_HEADERS:
            yield Problem(1, "warning", N_("表头: 未知的列「%(column)s」已忽略", column=key))


def _read_row(
    cells: dict[str, str], number: int, filename: str | None, result: ImportResult
) -> None:
    """One row: a question, or an error when its type cannot be told."""
    type_text = cells.get(layout.TYPE, "")
    question_type = lookup_type(type_text)
    if question_type is None:
        known = "/".join(t.label for t in all_types())
        message = N_("题型: 无法识别「%(text)s」, 可用 %(known)s", text=type_text, known=known)
        if not type_text:
            message = N_("题型: 不能为空")
        result.problems.append(Problem(number, "error", message))
        return
    problems: list[str] = []
    question = Question(
        type=question_type.name,
        stem=cells.get(layout.STEM, ""),
        options=_options(cells),
        answer=_answer(question_type, cells.get(layout.ANSWER, ""), problems),
        explanation=cells.get(layout.EXPLANATION) or None,
        points=_points(cells.get(layout.POINTS, ""), problems),
        difficulty=_difficulty(cells.get(layout.DIFFICULTY, ""), problems),
        category=cells.get(layout.CATEGORY) or None,
        knowledge_points=layout.split_list(cells.get(layout.KNOWLEDGE_POINTS, "")),
        tags=layout.split_list(cells.get(layout.TAGS, "")),
        source=Source(filename, number),
    )
    result.questions.append(question)
    result.problems.extend(Problem(number, "error", message) for message in problems)


def _options(cells: dict[str, str]) -> list[Option]:
    """Filled 选项X cells in label order; empty ones are simply not options."""
    options = []
    for key, text in cells.items():
        option = _OPTION_HEADER.fullmatch(key)
        if option and text:
            options.append(Option(option.group(1), text))
    return sorted(options, key=lambda option: option.label)


def _answer(question_type: QuestionType, text: str, problems: list[str]) -> Any:
    try:
        return question_type.parse_answer(text)
    except ValueError as error:
        problems.append(N_("答案: %(error)s", error=error))
        return None


def _points(text: str, problems: list[str]) -> float:
    if not text:
        return 1.0
    try:
        return float(text)
    except ValueError:
        problems.append(N_("分值: 应为数字, 实际为「%(text)s」", text=text))
        return 1.0


def _difficulty(text: str, problems: list[str]) -> int:
    if not text:
        return 3
    try:
        return int(text)
    except ValueError:
        problems.append(N_("难度: 应为 1–5 的整数, 实际为「%(text)s」", text=text))
        return 3


def build_template_xlsx() -> bytes:
    """The downloadable template: the header row, one example per type and a 说明 sheet."""
    workbook = questions_workbook(_EXAMPLES)
    help_sheet = workbook.create_sheet(HELP_SHEET)
    for row in _help_rows():
        help_sheet.append(text_cells(row))
    help_sheet.column_dimensions["A"].width = 14
    help_sheet.column_dimensions["B"].width = 80
    return workbook_bytes(workbook)


def _help_rows() -> list[list[str]]:
    """Column notes, then every type's accepted names and answer notation from the registry."""
    examples = {question.type: question for question in _EXAMPLES}
    rows = [["列", "填写说明"], *_COLUMN_NOTES, [], ["题型", "可写作 / 答案写法示例"]]
    for question_type in all_types():
        names = "、".join((question_type.label, *question_type.aliases, question_type.name))
        sample = question_type.format_answer(examples[question_type.name].answer)
        rows.append([question_type.label, f"可写作: {names}; 答案示例: {sample}"])
    return rows


_COLUMN_NOTES = [
    [layout.TYPE, "必填. 单选/多选/判断/填空/简答/名词解释/论述/案例, 带不带「题」都可以"],
    [layout.STEM, "必填. 填空题用 ____ 或 （ ） 标出每个空"],
    ["选项A–选项H", "单选/多选题的选项, 不用的留空; 需要更多选项时可加 选项I 等列"],
    [
        layout.ANSWER,
        "单选写 B; 多选写 ACD; 判断写 对/错; 填空每空用 ； 分隔, 同一空的多个答案用 | 分隔",
    ],
    [layout.EXPLANATION, "可选. 答题后展示给学员"],
    [layout.POINTS, "可选, 默认 1"],
    [layout.DIFFICULTY, "可选, 1–5 的整数, 默认 3"],
    [layout.CATEGORY, "可选. 多级分类用 / 分隔, 例如 售后/退换货"],
    [layout.KNOWLEDGE_POINTS, "可选. 多个用 、 分隔"],
    [layout.TAGS, "可选. 多个用 、 分隔"],
]

_EXAMPLES = [
    Question(
        type="single",
        stem="客户来电投诉时, 客服首先应该做什么?",
        options=[
            Option("A", "立即解释公司政策"),
            Option("B", "耐心倾听并确认问题"),
            Option("C", "直接转接主管"),
            Option("D", "请客户稍后再打来"),
        ],
        answer=["B"],
        explanation="先倾听、确认问题, 再给出解决方案.",
        points=2,
        difficulty=2,
        category="服务礼仪/投诉处理",
        knowledge_points=["投诉处理", "倾听"],
        tags=["示例"],
    ),
    Question(
        type="multiple",
        stem="以下哪些属于规范的服务用语?",
        options=[
            Option("A", "您好, 请问有什么可以帮您?"),
            Option("B", "喂, 什么事?"),
            Option("C", "感谢您的耐心等待."),
            Option("D", "这个不归我管."),
        ],
        answer=["A", "C"],
        points=2,
        category="服务礼仪/服务用语",
    ),
    Question(type="true_false", stem="受理退货前必须先核实订单信息.", answer=True),
    Question(
        type="fill_blank",
        stem="客服热线的服务时间为每天 ____ 点至 ____ 点.",
        answer=[["8", "八"], ["22", "二十二"]],
        points=2,
    ),
    Question(
        type="short_answer",
        stem="什么是「首问负责制」?",
        answer="第一位接待客户的员工负责跟进问题直至解决, 不得推诿.",
        points=5,
    ),
    Question(
        type="essay",
        stem="结合工作实际, 论述如何提升客户满意度.",
        answer="从响应速度、专业能力、服务态度和回访四个方面论述.",
        points=10,
        difficulty=4,
    ),
    Question(
        type="case",
        stem="客户收到破损商品后情绪激动, 要求立即全额退款并赔偿. 请分析并写出处理步骤.",
        answer="安抚情绪、致歉; 核实订单与破损情况; 按政策提供退款或换货; 记录并回访.",
        points=15,
        difficulty=4,
    ),
]
