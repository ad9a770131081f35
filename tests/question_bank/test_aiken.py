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


def test_missing_answer_line_keeps_the_question_as_a_draft_and_reports_its_line():
    result = aiken("甲?\nA. 1\nB. 2\n乙?\nA. 3\nB. 4\nANSWER: A\n丙?\nA. 5\nB. 6")
    assert [(q.stem, q.answer) for q in result.questions] == [
        ("甲?", None),
        ("乙?", ["A"]),
        ("丙?", None),
    ]
    assert [(p.line, p.severity) for p in result.problems] == [(1, "error"), (8, "error")]
    assert "ANSWER" in result.problems[0].message


def test_answer_not_among_options_is_reported_at_the_question_line():
    result = aiken("\n\n甲?\nA. 1\nB. 2\nANSWER: F")
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "答案: 选项 F 不存在 (answer label not among options)")
    ]


def test_unreadable_answer_and_orphan_answer_lines():
    result = aiken("ANSWER: A\n甲?\nA. 1\nB. 2\nANSWER: 1")
    assert [p.line for p in result.problems] == [1, 5]
    assert result.questions[0].answer is None


def test_an_option_before_any_stem_starts_a_question():
    result = aiken("A. 不是选项\nA. 1\nB. 2\nANSWER: A")
    assert result.questions[0].stem == "A. 不是选项"
