"""Answer key files: reading them, applying them to an import, and the shipped 004 key."""

from __future__ import annotations

from pathlib import Path

from question_bank.answer_keys import apply_key, covers, papers, parse_key_file
from question_bank.formats import cn_text
from question_bank.formats.cn_text import MISSING_ANSWER
from question_bank.model import ImportResult, Question

KEYS = Path(__file__).resolve().parents[2] / "training" / "data" / "keys"
PAPER = """一、单项选择题
1.甲（ ）
A.a B.b C.c D.d
2.乙（ ）
A.a B.b C.c D.d
二、判断题
3.客户永远是对的。（ ）
三、简答题
4.简述投诉处理步骤。
"""
KEY = """# comment lines are ignored
一、单项选择题
1. C
解析：因为 C。
2. B
三、判断题
3. ×
四、简答题
4. 答：倾听；
道歉；解决。
解析：标准流程。
"""


def imported(text: str = PAPER) -> ImportResult:
    return cn_text.parse_text(text, "paper.txt")


def test_parse_key_file_keys_by_section_and_number() -> None:
    key, problems = parse_key_file(KEY)
    assert problems == []
    assert key == {
        ("单项选择题", "1"): ("C", "因为 C。"),
        ("单项选择题", "2"): ("B", None),
        ("判断题", "3"): ("×", None),
        ("简答题", "4"): ("倾听；\n道歉；解决。", "标准流程。"),
    }


def test_parse_key_file_without_sections_and_with_ranges() -> None:
    key, problems = parse_key_file("1-3 BCA\n4.√ 5.客户满意")
    assert problems == []
    assert key == {
        "1": ("B", None),
        "2": ("C", None),
        "3": ("A", None),
        "4": ("√", None),
        "5": ("客户满意", None),
    }


def test_parse_key_file_reports_bad_and_repeated_entries() -> None:
    _, problems = parse_key_file("1-4 BCA\n5.B\n5.C")
    assert [(p.line, p.severity) for p in problems] == [(1, "error"), (3, "warning")]


def test_apply_key_answers_the_questions_and_clears_their_warnings() -> None:
    before = imported()
    assert sum(p.message == MISSING_ANSWER for p in before.problems) == 4
    key, _ = parse_key_file(KEY)
    after = apply_key(before, key)
    assert [(q.type, q.answer, q.explanation) for q in after.questions] == [
        ("single", ["C"], "因为 C。"),
        ("single", ["B"], None),
        ("true_false", False, None),
        ("short_answer", "倾听；\n道歉；解决。", "标准流程。"),
    ]
    assert after.problems == []
    assert before.questions[0].answer is None, "the original result is left untouched"


def test_apply_key_keeps_an_answer_the_paper_gives_and_warns_when_the_key_differs() -> None:
    result = imported("1.甲（ ）\nA.a B.b\n答案：A\n2.乙（ ）\nA.a B.b\n答案：B")
    after = apply_key(result, {"1": ("B", None), "2": ("B", "解析")})
    assert [q.answer for q in after.questions] == [["A"], ["B"]]
    assert after.questions[1].explanation == "解析"
    assert [(p.line, p.severity) for p in after.problems] == [(1, "warning")]


def test_apply_key_reports_entries_without_or_with_several_questions() -> None:
    result = imported("一、单选题\n1.甲（ ）\nA.a B.b\n二、多选题\n1.乙（ ）\nA.a B.b")
    after = apply_key(result, {"1": ("A", None), "7": ("B", None), ("多选题", "1"): ("AB", None)})
    messages = [p.message for p in after.problems if p.message != MISSING_ANSWER]
    assert len(messages) == 2 and any("7" in m for m in messages)
    assert [q.answer for q in after.questions] == [None, ["A", "B"]]


def test_apply_key_checks_the_answer_against_the_question() -> None:
    after = apply_key(imported("1.甲（ ）\nA.a B.b"), {"1": ("E", None)})
    assert [(p.line, p.severity) for p in after.problems] == [(1, "error")]


def test_apply_key_settles_the_type_of_an_unsectioned_question() -> None:
    after = apply_key(imported("1.客户永远是对的。（ ）"), {"1": ("√", None)})
    assert [(q.type, q.answer) for q in after.questions] == [("true_false", True)]


def test_papers_split_where_sections_come_back_or_numbers_restart() -> None:
    def q(number: str, section: str | None) -> Question:
        return Question("single", "题", number=number, section=section)

    questions = [
        q("1", "单选"),
        q("2", "单选"),
        q("3", "多选"),
        q("1", "单选"),
        q("2", "单选"),
        q("2", "单选"),
        q("1", "判断"),
        q("1", None),
        q("2", None),
        q("1", None),
    ]
    assert [[(x.number, x.section) for x in p] for p in papers(questions)] == [
        [("1", "单选"), ("2", "单选"), ("3", "多选")],
        [("1", "单选"), ("2", "单选")],
        [("2", "单选"), ("1", "判断"), ("1", None), ("2", None)],
        [("1", None)],
    ]


def test_covers_means_exactly_those_questions() -> None:
    questions = imported().questions
    key, _ = parse_key_file(KEY)
    assert covers(key, questions)
    assert not covers(key, questions[:3])
    assert not covers({**key, "9": ("A", None)}, questions)


def test_shipped_key_for_the_004_mock_exam() -> None:
    (path,) = KEYS.glob("004_*.key.txt")
    key, problems = parse_key_file(path.read_text(encoding="utf-8"))
    assert problems == []
    assert sorted(int(number) for _, number in key) == list(range(1, 37))
    assert all(explanation for _, explanation in key.values())
    sections = {section for section, _ in key}
    assert sections == {"单项选择题", "多项选择题", "名词解释", "简答题", "论述题", "案例分析题"}
