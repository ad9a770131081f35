"""The Excel/CSV template importer and the downloadable template."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from question_bank.formats.spreadsheet import build_template_xlsx, parse_csv, parse_xlsx
from question_bank.model import QUESTION_TYPES

HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "分值", "难度",
          "分类", "知识点", "标签"]  # fmt: skip


def xlsx(rows: list[list[object]], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    return "\n".join(delimiter.join(row) for row in rows).encode(encoding)


def test_xlsx_rows_become_questions_with_row_lines():
    data = xlsx(
        [
            HEADER,
            ["单选", "客户投诉首先应该?", "解释", "倾听", None, None, "B", "先倾听", 2, 2,
             "售后/投诉", "投诉、倾听", "示例,重点"],
            [None] * len(HEADER),
            ["判断", "退货需要小票", None, None, None, None, True, None, None, None, None, None,
             None],
        ]
    )  # fmt: skip
    result = parse_xlsx(data, "bank.xlsx")
    assert result.problems == []
    single, true_false = result.questions
    assert (single.type, single.answer, single.points, single.difficulty) == ("single", ["B"], 2, 2)
    assert [(o.label, o.text) for o in single.options] == [("A", "解释"), ("B", "倾听")]
    assert (single.explanation, single.category) == ("先倾听", "售后/投诉")
    assert (single.knowledge_points, single.tags) == (["投诉", "倾听"], ["示例", "重点"])
    assert (single.source.file, single.source.line) == ("bank.xlsx", 2)
    assert (true_false.type, true_false.answer, true_false.source.line) == ("true_false", True, 4)
    assert (true_false.points, true_false.difficulty) == (1.0, 3)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("单选", "single"),
        ("多选题", "multiple"),
        ("判断", "true_false"),
        ("填空", "fill_blank"),
        ("简答", "short_answer"),
        ("名词解释", "short_answer"),
        ("论述", "essay"),
        ("案例", "case"),
        ("multiple", "multiple"),
        ("Essay", "essay"),
    ],
)
def test_type_column_accepts_chinese_and_english_names(written, name):
    data = csv_bytes([["题型", "题干"], [written, "题干"]])
    assert parse_csv(data).questions[0].type == name


def test_errors_name_the_row_and_the_field():
    data = csv_bytes(
        [
            ["题型", "题干", "选项A", "选项B", "答案", "分值", "难度"],
            ["单选", "甲?", "x", "y", "A", "", ""],
            ["连线", "乙?", "", "", "", "", ""],
            ["单选", "丙?", "x", "y", "F", "", ""],
            ["多选", "丁?", "x", "y", "A1", "两分", "难"],
        ]
    )
    messages = [(p.line, p.severity, p.message) for p in parse_csv(data).problems]
    assert messages[0][:2] == (3, "error") and messages[0][2].startswith("第 3 行, 题型: ")
    assert messages[1] == (
        4,
        "error",
        "第 4 行, 答案: 选项 F 不存在",
    )
    assert [m[2][:9] for m in messages[2:]] == ["第 5 行, 答案", "第 5 行, 分值", "第 5 行, 难度"]


def test_fill_blank_answers_and_blank_count():
    data = csv_bytes(
        [
            ["题型", "题干", "答案"],
            ["填空", "热线 ____ 转 ____", "400|四零零；8"],
            ["填空", "甲 ____", "a；b"],
        ]
    )
    result = parse_csv(data)
    assert result.questions[0].answer == [["400", "四零零"], ["8"]]
    assert [(p.line, "题干有 1 个空" in p.message) for p in result.problems] == [(3, True)]


def test_csv_in_gbk_with_bom_less_utf8_and_tabs():
    rows = [["题型", "题干", "答案"], ["判断", "退货需要小票", "对"]]
    for data in (
        csv_bytes(rows, "gbk"),
        csv_bytes(rows, "utf-8-sig"),
        csv_bytes(rows, delimiter="\t"),
    ):
        result = parse_csv(data)
        assert [(q.stem, q.answer) for q in result.questions] == [("退货需要小票", True)]


def test_csv_quoted_cells_with_commas_and_line_breaks():
    data = '题型,题干,选项A,选项B,答案\n单选,"第一行\n第二行, 续",甲,"乙, 丙",B\n'.encode()
    question = parse_csv(data).questions[0]
    assert (question.stem, question.options[1].text) == ("第一行\n第二行, 续", "乙, 丙")


def test_headers_are_matched_loosely_and_unknown_ones_warned():
    data = csv_bytes(
        [["题 型", "题干", "选项 a", "选项Ｂ", "答案", "备注"], ["单选", "甲", "x", "y", "A", "z"]]
    )
    result = parse_csv(data)
    assert [o.label for o in result.questions[0].options] == ["A", "B"]
    assert [(p.line, p.severity) for p in result.problems] == [(1, "warning")]
    assert "备注" in result.problems[0].message


def test_missing_required_header_is_an_error_on_row_1():
    result = parse_csv(csv_bytes([["题干", "答案"], ["甲", "A"]]))
    assert result.questions == []
    assert [(p.line, p.message) for p in result.problems] == [
        (1, "第 1 行, 表头: 缺少「题型」列")
    ]


def test_empty_and_damaged_files_are_problems():
    assert parse_csv(b"").problems[0].severity == "error"
    assert parse_xlsx(b"PK\x03\x04 not really a zip").problems[0].severity == "error"
    assert parse_xlsx(b"").problems[0].severity == "error"


def test_question_sheet_is_preferred_over_the_first_sheet():
    workbook = Workbook()
    workbook.active.append(["说明"])
    workbook.create_sheet("题目").append(["题型", "题干"])
    workbook["题目"].append(["论述", "论述服务意识"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [q.stem for q in parse_xlsx(buffer.getvalue()).questions] == ["论述服务意识"]


def test_template_has_an_example_of_every_type_and_a_help_sheet():
    data = build_template_xlsx()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["题目", "说明"]
    header = [cell.value for cell in workbook["题目"][1]]
    assert header[:3] == ["题型", "题干", "选项A"] and "选项H" in header and header[-1] == "标签"
    help_text = " ".join(str(c.value) for row in workbook["说明"].iter_rows() for c in row)
    assert "名词解释" in help_text and "答案示例" in help_text
    result = parse_xlsx(data)
    assert result.problems == []
    assert [q.type for q in result.questions] == list(QUESTION_TYPES)
