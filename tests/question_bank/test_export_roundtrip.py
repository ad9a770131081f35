"""Export then import gives the same questions, for every type each format can carry."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from question_bank.export.gift import export_gift
from question_bank.export.moodle_xml import export_moodle_xml
from question_bank.export.xlsx import export_xlsx
from question_bank.formats import gift, moodle_xml, spreadsheet
from question_bank.model import Option, Question

OPTIONS = [Option("A", "倾听=理解"), Option("B", "解释 {政策}"), Option("C", "挂断~#:")]

SAMPLES = {
    "single": Question(
        type="single",
        stem="客户投诉时, 首先应该?\n（单选）",
        options=OPTIONS,
        answer=["A"],
        explanation="先倾听: 再解决 #1",
        points=2,
        category="售后/投诉",
    ),
    "multiple": Question(
        type="multiple", stem="哪些可以?", options=OPTIONS, answer=["A", "C"], points=3
    ),
    "multiple-one-key": Question(
        type="multiple", stem="哪个可以?", options=OPTIONS, answer=["B"], category="售后"
    ),
    "true_false": Question(type="true_false", stem="退货需要小票.", answer=False, points=1.5),
    "fill_blank": Question(type="fill_blank", stem="热线是 ____ .", answer=[["400", "四零零"]]),
    "fill_blank-end": Question(type="fill_blank", stem="热线是 ____", answer=[["400"]]),
    "fill_blank-unmarked": Question(type="fill_blank", stem="热线是?", answer=[["400"]]),
    "fill_blank-several": Question(
        type="fill_blank",
        stem="____ 转 ____ 号",
        answer=[["400"], ["8", "八"]],
        explanation="见手册",
    ),
    "essay": Question(type="essay", stem="论述服务意识.", answer="态度与能力", points=10),
    "short_answer": Question(type="short_answer", stem="何为首问负责制?", answer="负责到底"),
    "case": Question(type="case", stem="案例: 破损商品.", answer="致歉, 核实, 补发", points=15),
}


def fields(question: Question, *extra: str) -> dict[str, object]:
    names = ("type", "stem", "answer", "explanation", "category", *extra)
    values = {name: getattr(question, name) for name in names}
    values["options"] = [(o.label, o.text) for o in question.options]
    return values


def reimported(result, count: int) -> list[Question]:
    assert [p for p in result.problems if p.severity == "error"] == []
    assert len(result.questions) == count
    return result.questions


XLSX_FIELDS = ("points", "difficulty", "knowledge_points", "tags")


@pytest.mark.parametrize("name", SAMPLES)
def test_xlsx_round_trip_keeps_every_field(name):
    question = replace(SAMPLES[name], knowledge_points=["投诉"], tags=["重点", "新"], difficulty=4)
    [back] = reimported(spreadsheet.parse_xlsx(export_xlsx([question])), 1)
    assert fields(back, *XLSX_FIELDS) == fields(question, *XLSX_FIELDS)


def test_xlsx_guards_formula_like_text_and_reimports_it_unchanged():
    starts = "=+-@=+-@'="
    options = [Option(label, f"{start}{label}1+1") for label, start in zip("ABCDEFGHIJ", starts, strict=True)]
    question = Question(type="single", stem="=SUM(A1:A3)", options=options, answer=["J"],
                        explanation="@cmd", category="-分类")
    data = export_xlsx([question])
    sheet = load_workbook(io.BytesIO(data))["题目"]
    assert sheet["B2"].value == "'=SUM(A1:A3)" and sheet["B2"].data_type == "s"
    assert [sheet.cell(2, column).value for column in range(3, 7)] == [
        "'=A1+1", "'+B1+1", "'-C1+1", "'@D1+1"
    ]
    [back] = reimported(spreadsheet.parse_xlsx(data), 1)
    assert fields(back) == fields(question)


def test_csv_reads_a_guarded_cell_as_the_text_it_guards():
    data = "题型,题干,答案\n简答,'=1+1,'-负数\n".encode()
    [back] = reimported(spreadsheet.parse_csv(data), 1)
    assert (back.stem, back.answer) == ("=1+1", "-负数")


# Every type GIFT and Moodle XML carry; short_answer and case come back as essays.
GIFT_TYPES = [
    "single",
    "multiple",
    "multiple-one-key",
    "true_false",
    "fill_blank",
    "fill_blank-end",
    "fill_blank-unmarked",
    "fill_blank-several",
    "essay",
]


@pytest.mark.parametrize("name", GIFT_TYPES)
def test_gift_round_trip(name):
    question = SAMPLES[name]
    [back] = reimported(gift.parse(export_gift([question]).encode()), 1)
    expected = fields(question)
    if question.type == "essay":
        expected["answer"] = None  # GIFT has no place for a reference answer
    assert fields(back) == expected


def test_gift_carries_categories_in_order_and_escapes_specials():
    questions = [SAMPLES["single"], SAMPLES["true_false"], SAMPLES["multiple-one-key"]]
    text = export_gift(questions)
    assert "倾听\\=理解" in text and "解释 \\{政策\\}" in text
    back = reimported(gift.parse(text.encode()), 3)
    assert [q.category for q in back] == ["售后/投诉", None, "售后"]


def test_gift_stem_that_looks_like_a_format_marker_stays_text():
    question = Question(type="true_false", stem="[html] <b>不是标记</b>", answer=True)
    text = export_gift([question])
    assert "[plain]" in text
    [back] = reimported(gift.parse(text.encode()), 1)
    assert back.stem == question.stem


def test_gift_writes_subjective_types_as_essays_and_keyless_objective_as_comments():
    keyless = Question(type="true_false", stem="没有答案的判断")
    text = export_gift([SAMPLES["short_answer"], keyless, SAMPLES["case"]])
    assert "// 第 2 题缺少答案" in text
    back = reimported(gift.parse(text.encode()), 2)
    assert [(q.type, q.stem) for q in back] == [
        ("essay", "何为首问负责制?"),
        ("essay", "案例: 破损商品."),
    ]


@pytest.mark.parametrize("name", GIFT_TYPES)
def test_moodle_xml_round_trip(name):
    question = replace(SAMPLES[name], tags=["重点"])
    [back] = reimported(moodle_xml.parse(export_moodle_xml([question])), 1)
    assert fields(back, "points", "tags") == fields(question, "points", "tags")


def test_moodle_xml_keeps_drafts_without_key():
    drafts = [
        Question(type="single", stem="甲", options=OPTIONS),
        Question(type="multiple", stem="乙", options=OPTIONS),
        Question(type="true_false", stem="丙"),
        Question(type="fill_blank", stem="丁 ____"),
    ]
    back = moodle_xml.parse(export_moodle_xml(drafts)).questions
    assert [(q.type, q.answer) for q in back] == [(q.type, None) for q in drafts]


def test_moodle_xml_writes_subjective_types_as_essays_with_reference_answers():
    data = export_moodle_xml([SAMPLES["short_answer"], SAMPLES["case"]])
    back = reimported(moodle_xml.parse(data), 2)
    assert [(q.type, q.answer, q.points) for q in back] == [
        ("essay", "负责到底", 1.0),
        ("essay", "致歉, 核实, 补发", 15.0),
    ]


def test_moodle_xml_has_category_questions_and_drops_control_characters():
    question = Question(type="essay", stem="甲\x0b乙", category="售后/投诉")
    data = export_moodle_xml([question, SAMPLES["true_false"]])
    assert data.count(b'type="category"') == 2
    back = reimported(moodle_xml.parse(data), 2)
    assert [(q.stem, q.category) for q in back] == [("甲乙", "售后/投诉"), ("退货需要小票.", None)]
