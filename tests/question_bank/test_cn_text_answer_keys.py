"""Answer keys printed at the end of a paper, matched to its questions by number and section."""

from __future__ import annotations

import pytest

from question_bank.formats import cn_text
from question_bank.formats.cn_text.answer_key import parse_key, split_range
from question_bank.model import ImportResult

CHOICE = "A.甲 B.乙 C.丙 D.丁"


def parse(text: str) -> ImportResult:
    return cn_text.parse_text(text.strip("\n"), "paper.txt")


def singles(first: int, last: int) -> str:
    return "\n".join(f"{n}.第{n}题（ ）\n{CHOICE}" for n in range(first, last + 1))


def answers(result: ImportResult) -> dict[str, object]:
    return {q.number: q.answer for q in result.questions}


@pytest.mark.parametrize(
    "key",
    [
        "参考答案\n1-5 BCADA",
        "答案：1-5 BCADA",
        "参考答案\n1～5：BCADA",
        "参考答案\n1.B 2.C 3.A 4.D 5.A",
        "参考答案\n1、B\n2、C\n3、A\n4、D\n5、A",
        "【参考答案】\n1B 2C 3A 4D 5A",
        "参考答案\n题号\t1\t2\t3\t4\t5\n答案\tB\tC\tA\tD\tA",
    ],
)
def test_objective_key_formats(key: str) -> None:
    result = parse(f"一、单项选择题\n{singles(1, 5)}\n{key}")
    assert answers(result) == {"1": ["B"], "2": ["C"], "3": ["A"], "4": ["D"], "5": ["A"]}
    assert not result.problems


def test_key_by_section_ordinals_on_one_line() -> None:
    result = parse(
        f"一、单项选择题\n{singles(1, 2)}\n二、多项选择题\n3.第3题（ ）\n{CHOICE}\n"
        "三、判断题\n4.客户永远是对的。（ ）\n5.投诉是机会。（ ）\n"
        "参考答案：\n一、1.C 2.B 二、3.ABD 三、4.× 5.√"
    )
    assert answers(result) == {"1": ["C"], "2": ["B"], "3": ["A", "B", "D"], "4": False, "5": True}


def test_true_false_range() -> None:
    lines = "\n".join(f"{n}.说法{n}。（ ）" for n in range(21, 26))
    result = parse(f"三、判断题\n{lines}\n参考答案\n21-25 √×√√×")
    assert [q.answer for q in result.questions] == [True, False, True, True, False]


def test_numbers_restarting_per_section_are_matched_by_section_names() -> None:
    result = parse(
        f"一、单选题\n{singles(1, 2)}\n二、判断题\n1.客户永远是对的。（ ）\n2.投诉是机会。（ ）\n"
        "答案\n单选题：1.B 2.C\n判断题：1.× 2.√"
    )
    assert [(q.section, q.answer) for q in result.questions] == [
        ("单选题", ["B"]),
        ("单选题", ["C"]),
        ("判断题", False),
        ("判断题", True),
    ]


def test_numbers_restarting_per_section_are_matched_in_order_without_names() -> None:
    result = parse(
        f"一、单选题\n{singles(1, 2)}\n二、判断题\n1.客户永远是对的。（ ）\n2.投诉是机会。（ ）\n"
        "答案\n1.B 2.C\n1.× 2.√"
    )
    assert [q.answer for q in result.questions] == [["B"], ["C"], False, True]


def test_key_after_each_section_answers_that_section() -> None:
    result = parse(
        f"一、单选题\n{singles(1, 2)}\n答案：1-2 DA\n"
        "二、多选题\n1.多1（ ）\nA.甲 B.乙 C.丙\n2.多2（ ）\nA.甲 B.乙 C.丙\n答案：1.AB 2.BC"
    )
    assert [q.answer for q in result.questions] == [["D"], ["A"], ["A", "B"], ["B", "C"]]


def test_subjective_key_entries_span_lines_and_carry_explanations() -> None:
    result = parse(
        "四、简答题\n31.简述投诉处理步骤。\n32.什么是大客户？\n参考答案\n"
        "31.答：（1）倾听；\n（2）道歉；\n（3）解决。\n解析：标准流程。\n"
        "32.消费量大、利润贡献大的客户。"
    )
    first, second = result.questions
    assert first.answer == "（1）倾听；\n（2）道歉；\n（3）解决。"
    assert first.explanation == "标准流程。"
    assert second.answer == "消费量大、利润贡献大的客户。"


def test_key_decides_the_type_of_an_unsectioned_blank_question() -> None:
    result = parse("1.客户永远是对的。（ ）\n2.服务的核心是（ ）。\n参考答案：1.× 2.客户满意")
    assert [(q.type, q.answer) for q in result.questions] == [
        ("true_false", False),
        ("fill_blank", [["客户满意"]]),
    ]


def test_inline_answer_wins_over_a_different_key_entry() -> None:
    result = parse(f"1.第1题（ ）\n{CHOICE}\n答案：A\n参考答案\n1.B")
    assert result.questions[0].answer == ["A"]
    assert [(p.line, p.severity) for p in result.problems] == [(5, "warning")]


def test_each_paper_in_a_file_gets_its_own_key() -> None:
    result = parse(
        f"一、单项选择题\n{singles(1, 2)}\n参考答案\n1-2 AB\n"
        f"一、单项选择题\n{singles(1, 2)}\n参考答案\n1-2 CD"
    )
    assert [q.answer for q in result.questions] == [["A"], ["B"], ["C"], ["D"]]


def test_key_region_ends_where_questions_start_again() -> None:
    result = parse(
        f"一、单项选择题\n{singles(1, 1)}\n答案：1.C\n二、多选题\n2.第2题（ ）\n{CHOICE}"
    )
    assert [(q.number, q.section, q.options != []) for q in result.questions] == [
        ("1", "单项选择题", True),
        ("2", "多选题", True),
    ]


@pytest.mark.parametrize(
    ("raw", "count", "expected"),
    [
        ("BCADA", 5, list("BCADA")),
        ("B C A D A", 5, list("BCADA")),
        ("ABD、AC、BCD", 3, ["ABD", "AC", "BCD"]),
        ("√×√√×", 5, list("√×√√×")),
        ("正确 错误 正确", 3, ["正确", "错误", "正确"]),
        ("对错对", 3, ["对", "错", "对"]),
        ("BCAD", 5, None),
    ],
)
def test_split_range(raw: str, count: int, expected: list[str] | None) -> None:
    assert split_range(raw, count) == expected


def test_range_that_does_not_fit_is_an_error_at_its_line() -> None:
    entries, problems = parse_key([(10, "参考答案"), (11, "1-5 BCA")])
    assert entries == []
    assert [(p.line, p.severity) for p in problems] == [(11, "error")]


def test_numbered_list_inside_a_reference_answer_is_not_a_key_entry() -> None:
    entries, _ = parse_key([(1, "31.答：影响因素有"), (2, "1.价格"), (3, "2.质量"), (4, "32.B")])
    assert [(e.number, e.raw) for e in entries] == [(31, "影响因素有\n1.价格\n2.质量"), (32, "B")]
