"""The question type registry: names, answer notation, validation and response scoring."""

from __future__ import annotations

import pytest

from question_bank.model import QUESTION_TYPES, Option, Question, ScoringPoint, Source
from question_bank.types import (
    QuestionType,
    all_types,
    get_type,
    lookup_type,
    register,
    score_response,
    validate_question,
)


def choice(type_: str = "single", answer: object = None, **fields) -> Question:
    fields.setdefault("options", [Option("A", "倾听"), Option("B", "解释"), Option("C", "挂断")])
    fields.setdefault("stem", "客户投诉时首先应该?")
    return Question(type=type_, answer=answer, **fields)


def messages(question: Question) -> list[tuple[str, str]]:
    return [(p.severity, p.message) for p in validate_question(question)]


def test_registry_holds_exactly_the_model_types():
    assert [t.name for t in all_types()] == list(QUESTION_TYPES)


def test_get_type_rejects_unknown_names():
    with pytest.raises(KeyError):
        get_type("matching")


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("单选", "single"),
        ("单选题", "single"),
        ("多选", "multiple"),
        ("不定项选择题", "multiple"),
        ("判断", "true_false"),
        ("填空", "fill_blank"),
        ("简答", "short_answer"),
        ("名词解释", "short_answer"),
        ("论述", "essay"),
        ("案例", "case"),
        (" Single ", "single"),
        ("TRUE_FALSE", "true_false"),
        ("ｅｓｓａｙ", "essay"),
    ],
)
def test_lookup_type_accepts_chinese_and_english_names(written, name):
    assert lookup_type(written) is get_type(name)


def test_lookup_type_returns_none_for_unknown_names():
    assert lookup_type("连线题") is None


def test_duplicate_names_fail_at_registration_and_register_nothing():
    class Clash(QuestionType):
        name = "clash_probe"
        label = "冲突题"
        aliases = ("单选",)

    with pytest.raises(ValueError, match="单选"):
        register(Clash)
    assert lookup_type("clash_probe") is None
    assert lookup_type("冲突题") is None


@pytest.mark.parametrize(
    ("type_", "text", "answer"),
    [
        ("single", "B", ["B"]),
        ("single", " c ", ["C"]),
        ("multiple", "ABD", ["A", "B", "D"]),
        ("multiple", "A,B", ["A", "B"]),
        ("multiple", "d、a", ["A", "D"]),
        ("multiple", "Ｂ，Ａ", ["A", "B"]),
        ("multiple", "", None),
        ("true_false", "√", True),
        ("true_false", "对", True),
        ("true_false", "正确", True),
        ("true_false", "T", True),
        ("true_false", "×", False),
        ("true_false", "错", False),
        ("true_false", "false", False),
        ("fill_blank", "答案1|答案一；答案2", [["答案1", "答案一"], ["答案2"]]),
        ("fill_blank", "a ; b｜B", [["a"], ["b", "B"]]),
        ("fill_blank", "  ", None),
        ("short_answer", " 首问负责制 ", "首问负责制"),
        ("essay", "", None),
    ],
)
def test_parse_answer_reads_the_written_notation(type_, text, answer):
    assert get_type(type_).parse_answer(text) == answer


@pytest.mark.parametrize(("type_", "text"), [("single", "A1"), ("true_false", "也许")])
def test_parse_answer_rejects_unreadable_keys(type_, text):
    with pytest.raises(ValueError):
        get_type(type_).parse_answer(text)


@pytest.mark.parametrize(
    ("type_", "answer", "text"),
    [
        ("single", ["C"], "C"),
        ("multiple", ["A", "B", "D"], "ABD"),
        ("true_false", True, "对"),
        ("true_false", False, "错"),
        ("fill_blank", [["答案1", "答案一"], ["答案2"]], "答案1|答案一；答案2"),
        ("case", "先安抚情绪", "先安抚情绪"),
    ],
)
def test_format_answer_writes_what_parse_answer_reads(type_, answer, text):
    question_type = get_type(type_)
    assert question_type.format_answer(answer) == text
    assert question_type.parse_answer(text) == answer


def test_format_answer_of_a_missing_key_is_empty():
    assert [t.format_answer(None) for t in all_types()] == [""] * len(QUESTION_TYPES)


def test_a_valid_question_of_every_type_has_no_problems():
    questions = [
        choice(answer=["A"]),
        choice("multiple", ["A", "B"]),
        Question(type="true_false", stem="退货需要小票", answer=True),
        Question(type="fill_blank", stem="热线是 ____ 转 ____", answer=[["400"], ["8", "八"]]),
        Question(type="short_answer", stem="什么是首问负责制?", answer="第一位接待者负责到底"),
        Question(type="essay", stem="论述服务意识"),
        Question(type="case", stem="分析案例", scoring_points=[ScoringPoint("致歉", 2)], points=5),
    ]
    assert [messages(q) for q in questions] == [[]] * len(questions)


def test_answer_label_not_among_options_is_an_error_at_the_source_line():
    problems = validate_question(choice(answer=["F"], source=Source("a.xlsx", 7)))
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (7, "error", "答案: 选项 F 不存在")
    ]


@pytest.mark.parametrize(
    ("question", "severity", "fragment"),
    [
        (choice(answer=["A"], stem=" "), "error", "题干: 不能为空"),
        (choice(answer=["A"], points=0), "error", "分值: 必须大于 0"),
        (choice(answer=["A"], points=float("inf")), "error", "分值: 必须大于 0"),
        (choice(answer=["A"], difficulty=6), "error", "难度: 必须在 1–5 之间"),
        (choice(answer=["A"], options=[Option("A", "x")]), "error", "至少需要两个选项"),
        (choice(answer=["A", "B"]), "error", "单选题只能有一个答案, 实际为 AB"),
        (choice("multiple", ["A"]), "warning", "多选题只有一个正确选项"),
        (
            choice(answer=["A"], options=[Option("A", "x"), Option("A", "y")]),
            "error",
            "选项 A 重复",
        ),
        (choice(answer=["A"], options=[Option("A", "x"), Option("B", " ")]), "error", "选项B"),
        (choice(answer=["A"], options=[Option("A", "x"), Option("1", "y")]), "error", "A–Z"),
        (choice(answer="A"), "error", "应为选项字母"),
        (
            Question(type="fill_blank", stem="热线是 ____ 转 （ ）", answer=[["400"]]),
            "error",
            "题干有 2 个空, 答案有 1 个",
        ),
        (Question(type="fill_blank", stem="热线是?", answer=[["400"], [" "]]), "error", "第 2 空"),
        (Question(type="true_false", stem="对吗", answer="对"), "error", "对/错"),
        (
            Question(type="true_false", stem="对吗", answer=True, options=[Option("A", "对")]),
            "warning",
            "不使用选项",
        ),
        (Question(type="essay", stem="论述", answer=["A"]), "error", "参考答案应为文字"),
        (
            Question(type="essay", stem="论述", scoring_points=[ScoringPoint("倾听", 3)]),
            "warning",
            "超过题目分值",
        ),
        (
            Question(type="essay", stem="论述", scoring_points=[ScoringPoint("", 1)]),
            "error",
            "得分点",
        ),
    ],
)
def test_validation_reports_each_rule(question, severity, fragment):
    found = messages(question)
    assert any(s == severity and fragment in m for s, m in found), found


def test_fill_blank_without_marked_blanks_accepts_any_blank_count():
    question = Question(type="fill_blank", stem="客服热线和转接号码", answer=[["400"], ["8"]])
    assert messages(question) == []


def test_a_draft_without_key_is_not_an_answer_error():
    assert messages(choice(answer=None)) == []


def test_unknown_type_is_an_error():
    assert messages(Question(type="matching", stem="连线")) == [
        ("error", "题型: 未知题型 matching")
    ]


def test_score_response_normalises_what_a_form_sends():
    assert score_response(choice(answer=["B"]), " b ").correct is True
    assert score_response(choice("multiple", ["A", "C"]), ["C", "a"]).correct is True
    assert score_response(Question(type="true_false", stem="对吗", answer=False), "×").correct
    blanks = Question(type="fill_blank", stem="____ 与 ____", answer=[["甲"], ["2"]])
    assert score_response(blanks, ["甲", 2]).correct is True


def test_score_response_rejects_two_labels_for_single_choice():
    with pytest.raises(ValueError, match="只能选一个"):
        score_response(choice(answer=["B"]), "AB")
