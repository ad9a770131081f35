"""Broken questions are reported at their line, parsing goes on, and nothing vanishes silently."""

from __future__ import annotations

from question_bank.formats import cn_text
from question_bank.formats.cn_text import MISSING_ANSWER
from question_bank.model import ImportResult

GOOD = "A.甲 B.乙 C.丙 D.丁"


def parse(text: str) -> ImportResult:
    return cn_text.parse_text(text.strip("\n"), "paper.txt")


def found(result: ImportResult, severity: str | None = None) -> list[tuple[int | None, str]]:
    """(line, severity) of every problem, without the routine 'needs a key' warnings."""
    return [
        (p.line, p.severity)
        for p in result.problems
        if p.message != MISSING_ANSWER and (severity is None or p.severity == severity)
    ]


def test_single_choice_with_one_option_is_an_error_at_its_line_and_parsing_goes_on() -> None:
    result = parse(
        f"一、单选题\n1.甲（ ）\n{GOOD}\n答案：A\n2.乙（ ）\nA.只有一个选项\n答案：A\n3.丙（ ）\n{GOOD}\n答案：C"
    )
    assert [q.number for q in result.questions] == ["1", "2", "3"]
    assert found(result, "error") == [(5, "error")]
    assert result.questions[2].answer == ["C"]


def test_answer_letter_not_among_the_options_is_an_error() -> None:
    result = parse("1.甲（ ）\nA.a B.b C.c\n答案：E")
    assert found(result) == [(1, "error")]
    assert "E" in result.problems[0].message


def test_answer_that_cannot_be_read_for_the_type_is_an_error() -> None:
    result = parse(f"一、单选题\n1.甲（ ）\n{GOOD}\n答案：正确")
    assert found(result) == [(2, "error")]
    assert result.questions[0].answer is None


def test_question_without_answer_is_a_warning_draft() -> None:
    result = parse(f"1.甲（ ）\n{GOOD}")
    assert result.questions[0].needs_key
    assert [(p.line, p.severity, p.message) for p in result.problems] == [
        (1, "warning", MISSING_ANSWER)
    ]
    assert not result.has_errors


def test_key_entry_for_a_question_that_does_not_exist() -> None:
    result = parse(f"1.甲（ ）\n{GOOD}\n2.乙（ ）\n{GOOD}\n参考答案\n1.A 2.B\n7.C")
    assert found(result) == [(7, "warning")]
    assert "7" in result.problems[0].message


def test_duplicate_number_in_a_section() -> None:
    result = parse(
        f"一、单选题\n1.甲（ ）\n{GOOD}\n答案：A\n2.乙（ ）\n{GOOD}\n答案：B\n2.丙（ ）\n{GOOD}\n答案：C"
    )
    assert [q.stem for q in result.questions] == ["甲（ ）", "乙（ ）", "丙（ ）"]
    assert found(result) == [(8, "warning")]


def test_skipped_number_is_reported_where_numbering_resumes() -> None:
    result = parse(f"1.甲（ ）\n{GOOD}\n答案：A\n3.丙（ ）\n{GOOD}\n答案：C")
    assert found(result) == [(4, "warning")]
    assert "2" in result.problems[0].message


def lost(result: ImportResult) -> list[tuple[int | None, str]]:
    """(line, number) of every question reported as having lost its number."""
    return [(p.line, p.message) for p in result.problems if "题号丢失" in p.message]


def test_question_that_lost_its_number_between_lines_is_kept_as_a_draft_of_its_own() -> None:
    result = parse(f"1.甲（ ）{GOOD}\n乙（ ）\n{GOOD}\n答案：B\n3.丙（ ）{GOOD}")
    got = [(q.number, q.stem, q.source.line, q.answer) for q in result.questions]
    assert got == [("1", "甲（ ）", 1, None), ("2", "乙（ ）", 2, ["B"]), ("3", "丙（ ）", 5, None)]
    assert [line for line, _ in lost(result)] == [2]
    assert result.questions[1].key_to_confirm and not result.has_errors
    assert found(result) == [(2, "warning")]


def test_question_that_lost_its_number_inside_one_line_is_kept_on_its_own() -> None:
    result = parse(f"1.甲（ ）A.a B.b C.c D.d 乙（ ）A.e B.f C.g D.h 3.丙（ ）{GOOD}")
    assert [(q.number, q.stem) for q in result.questions] == [
        ("1", "甲（ ）"),
        ("2", "乙（ ）"),
        ("3", "丙（ ）"),
    ]
    assert [o.text for o in result.questions[0].options] == ["a", "b", "c", "d"]
    assert [o.text for o in result.questions[1].options] == ["e", "f", "g", "h"]
    assert [line for line, _ in lost(result)] == [1]


def test_first_questions_that_lost_their_numbers_are_kept_in_order() -> None:
    """'.作为…（B）A.… D.… .在我国…': a section's first questions lost their numbers."""
    result = parse(
        "一、单项选择题\n.产业是（B）的产物。A.技术B.分工C.政治D.信息.通信业属于（ C ）。"
        "A.一产B.二产C.三产D.四产3.服务的特点是（A）A.无形B.有形C.可存D.可运"
    )
    got = [(q.number, q.stem[:2], q.answer) for q in result.questions]
    assert got == [("1", "产业", ["B"]), ("2", "通信", ["C"]), ("3", "服务", ["A"])]
    assert [o.text for o in result.questions[0].options] == ["技术", "分工", "政治", "信息"]
    assert ["第 1 题" in lost(result)[0][1], "第 2 题" in lost(result)[1][1]] == [True, True]
    assert not result.has_errors


def test_statement_with_its_own_answer_after_an_answer_is_a_lost_true_false_question() -> None:
    result = parse(
        "判断题\n1.客户永远是对的。\n答案：×\n投诉是机会。\n答案：√\n3.服务无形。\n答案：√"
    )
    got = [(q.number, q.stem, q.answer, q.source.line) for q in result.questions]
    assert got == [
        ("1", "客户永远是对的。", False, 2),
        ("2", "投诉是机会。", True, 4),
        ("3", "服务无形。", True, 6),
    ]
    assert found(result) == [(4, "warning")] and lost(result)


def test_second_answer_on_one_line_cuts_off_the_lost_question_after_the_first() -> None:
    result = parse("判断题 1.客户永远是对的。答案：× 投诉是机会。答案：√ 3.服务无形。答案：√")
    got = [(q.number, q.stem, q.answer) for q in result.questions]
    assert got == [
        ("1", "客户永远是对的。", False),
        ("2", "投诉是机会。", True),
        ("3", "服务无形。", True),
    ]
    assert [line for line, _ in lost(result)] == [1]


def test_two_written_answers_cannot_be_told_apart_and_stay_an_error() -> None:
    result = parse("一、简答题\n1.甲？\n答案：这样\n乙？\n答案：那样")
    assert (5, "error") in found(result)


def test_section_that_announces_more_questions_than_it_has() -> None:
    result = parse(
        f"一、单项选择题（本大题共3小题，每小题1分）\n1.甲（ ）\n{GOOD}\n2.乙（ ）\n{GOOD}"
    )
    warnings = [p for p in result.problems if p.line == 1]
    assert (
        len(warnings) == 1 and "3" in warnings[0].message and "缺少第 3 题" in warnings[0].message
    )


def test_choice_question_cut_off_after_two_options_is_flagged() -> None:
    result = parse(f"单选题\n1.甲（ ）\n{GOOD}\n2.乙（ ）\n{GOOD}\n3.丙（ ）\nA.a B.b")
    assert found(result) == [(6, "warning")]


def test_options_without_any_question_number_are_a_draft_question_not_an_error() -> None:
    result = parse("客户投诉时首先应该（ ）\nA.解释 B.倾听 C.转交")
    assert [(q.stem, len(q.options), q.source.line) for q in result.questions] == [
        ("客户投诉时首先应该（ ）", 3, 1)
    ]
    assert found(result) == [(1, "warning")] and lost(result)


def test_answer_without_any_question() -> None:
    """A letter or √/× answer belongs to a question that lost its number: an error. A riddle's
    answer in courseware is only worth a warning."""
    assert found(parse("课程说明\n答案：B")) == [(2, "error")]
    riddle = parse("人为什么先看到闪电后听到雷声呢?\n答案:因为眼睛长在耳朵前面")
    assert (riddle.questions, found(riddle)) == ([], [(2, "warning")])


def test_problems_come_sorted_by_line() -> None:
    result = parse(f"1.甲（ ）\nA.只有一个\n3.乙（ ）\n{GOOD}\n答案：Z")
    lines = [p.line or 0 for p in result.problems]
    assert lines == sorted(lines) and len(lines) >= 3


def test_empty_and_garbage_input_give_no_questions_and_no_exception() -> None:
    for text in [
        "",
        "\n\n\n",
        "（（（ ）））",
        "A.B.C.D.",
        "1.\n2.\n3.",
        "答案：\n解析：",
        "\x00\ufffd",
    ]:
        result = parse(text)
        assert all("内部错误" not in p.message for p in result.problems), text
