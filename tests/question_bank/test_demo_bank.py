"""The demo bank built from the seeds: the 004 mock exam once and keyed, the worked examples."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from question_bank.answer_keys import parse_key_file
from question_bank.demo_bank import build_demo_bank
from question_bank.model import ImportResult
from question_bank.types import validate_question

DATA = Path(__file__).resolve().parents[2] / "training" / "data"
MOCK = "004_49d1e8f4751aa746.txt"


@pytest.fixture(scope="module")
def bank() -> ImportResult:
    return build_demo_bank(DATA / "seeds", DATA / "keys")


def test_mock_exam_appears_once_with_every_question(bank: ImportResult) -> None:
    mock = [q for q in bank.questions if q.source.file == MOCK]
    assert [int(q.number) for q in mock] == list(range(1, 37))
    assert [q.source.line for q in mock][:3] == [10, 20, 30], "the complete copy is kept"
    assert len(mock[9].options) == 4, "not the preview cut after two options"


def test_mock_exam_is_keyed_as_the_key_file_says(bank: ImportResult) -> None:
    (key_path,) = (DATA / "keys").glob("004_*.key.txt")
    key, _ = parse_key_file(key_path.read_text(encoding="utf-8"))
    mock = {q.number: q for q in bank.questions if q.source.file == MOCK}
    for (_, number), (answer, explanation) in key.items():
        question = mock[number]
        written = "".join(question.answer) if isinstance(question.answer, list) else question.answer
        assert written == answer and question.explanation == explanation


def test_every_question_is_keyed_valid_and_categorised(bank: ImportResult) -> None:
    assert bank.questions
    for question in bank.questions:
        assert not question.needs_key
        assert not [p for p in validate_question(question) if p.severity == "error"]
        assert question.category == (question.section or "例题")
    assert not bank.has_errors


def test_categories_and_files(bank: ImportResult) -> None:
    assert Counter((q.source.file[:3], q.category) for q in bank.questions) == {
        ("000", "例题"): 4,
        ("004", "单项选择题"): 15,
        ("004", "多项选择题"): 10,
        ("004", "名词解释"): 5,
        ("004", "简答题"): 3,
        ("004", "论述题"): 2,
        ("004", "案例分析题"): 1,
    }


def test_left_out_questions_are_reported(bank: ImportResult) -> None:
    left_out = Counter(p.message.split(" ")[1] for p in bank.problems)
    assert left_out == {"000_5ccfc1c9a39f1d44.txt": 1, MOCK: 12}
    assert {p.severity for p in bank.problems} == {"warning"}


def test_without_the_key_file_the_mock_exam_is_left_out(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(DATA / "seeds" / MOCK, seeds / MOCK)
    bank = build_demo_bank(seeds, tmp_path / "no-keys")
    assert bank.questions == []
    assert len(bank.problems) == 36 + 12
