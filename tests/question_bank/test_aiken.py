"""The Aiken importer."""

from __future__ import annotations

from question_bank.formats.aiken import parse


def aiken(text: str):
    return parse(text.encode("utf-8"), "bank.txt")


def test_single_choice_with_both_option_styles():
    result = aiken("客户投诉时首先应该?\nA. 解释政策\nB) 倾听并确认问题\nC．转接\nANSWER: B\n")
    question = result.questions[0]
    assert result.problems == []
    assert (question.type, question.stem, question.answer) == (
        "single",
        "客户投诉时首先应该?",
        ["B"],
    )
    assert [(o.label, o.text) for o in question.options] == [
        ("A", "解释政策"),
        ("B", "倾听并确认问题"),
        ("C", "转接"),
    ]
    assert (question.source.file, question.source.line) == ("bank.txt", 1)


def test_several_questions_with_and_without_blank_lines_and_a_multiline_stem():
    text = "甲?\nA. 1\nB. 2\nANSWER: A\n乙的第一行\n乙的第二行\n\nA) 3\nB) 4\nANSWER：b\n"
    result = aiken(text)
    assert [(q.stem, q.answer, q.source.line) for q in result.questions] == [
        ("甲?", ["A"], 1),
        ("乙的第一行\n乙的第二行", ["B"], 5),
    ]


def test_several_answer_letters_make_multiple_choice():
    question = aiken("哪些?\nA. 1\nB. 2\nC. 3\nANSWER: AC").questions[0]
    assert (question.type, question.answer) == ("multiple", ["A", "C"])


def test_a_question_without_answer_line_is_not_imported_and_reported_where_the_next_starts():
    result = aiken("甲?\nA. 1\nB. 2\n乙?\nA. 3\nB. 4\nANSWER: A\n丙?\nA. 5\nB. 6")
    assert [(q.stem, q.answer) for q in result.questions] == [("乙?", ["A"])]
    assert [(p.line, p.severity) for p in result.problems] == [(4, "error"), (8, "error")]
    assert "ANSWER" in result.problems[0].message


def test_answer_not_among_options_is_reported_at_the_question_line():
    result = aiken("\n\n甲?\nA. 1\nB. 2\nANSWER: F")
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "ANSWER 应为选项字母 A/B，却是 'F'，未导入")
    ]


def test_unreadable_answer_and_orphan_answer_lines_are_errors_and_import_nothing():
    result = aiken("ANSWER: A\n甲?\nA. 1\nB. 2\nANSWER: 1")
    assert [p.line for p in result.problems] == [1, 2]
    assert result.questions == []


def test_options_before_any_stem_are_one_error_not_a_question():
    result = aiken("A. 无题干\nB. 无题干\nANSWER: A\n甲?\nA. 1\nB. 2\nANSWER: B")
    assert [q.stem for q in result.questions] == ["甲?"]
    assert [(p.line, p.severity) for p in result.problems] == [(1, "error")]


def test_labels_must_run_a_b_c_and_a_question_needs_two_options():
    result = aiken("甲?\nA. 1\nC. 2\nANSWER: A\n乙?\nA. 1\nANSWER: A\n丙?\nA. 1\nB. 2\nANSWER: B")
    assert [q.stem for q in result.questions] == ["丙?"]
    assert [p.line for p in result.problems] == [3, 7]


# The shape of Moodle's own error fixture (question/format/aiken/tests/fixtures/aiken_errors.txt),
# our own words: three good questions among three broken ones.
BROKEN_AMONG_GOOD = """只有一个选项的题
A) 唯一选项
ANSWER: A

A) 题干没有开始

ANSWER: 题干没有开始 Question not started

第一道好题
A) 对的
B) 错的
ANSWER: A

开始了却没结束的题
A) 差不多对
B) 差不多错

第二道好题
A)错的（无空格）
B)对的（无空格）
ANSWER: B

第三道好题，带 > < & 符号
A) 对 (< > &)
B) 错 (< > &)
ANSWER: A
"""


def test_broken_questions_are_left_out_with_one_error_each_as_moodle_does():
    result = aiken(BROKEN_AMONG_GOOD)
    assert [(q.stem, q.answer) for q in result.questions] == [
        ("第一道好题", ["A"]),
        ("第二道好题", ["B"]),
        ("第三道好题，带 > < & 符号", ["A"]),
    ]
    assert [o.text for o in result.questions[1].options] == ["错的（无空格）", "对的（无空格）"]
    assert [(p.line, p.severity) for p in result.problems] == [
        (3, "error"),
        (5, "error"),
        (18, "error"),
    ]
