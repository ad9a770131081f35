"""`servicecoach bank import`: the JSON contract, exit codes, and one transaction."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from tests.bank.papers import BROKEN_PAPER, PAPER
from training.bank.models import Question, QuestionBank
from training.cli import main
from training.database import db

QUESTION_KEYS = {"number", "type", "stem", "options", "answer", "explanation", "points", "section", "line"}


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, ["bank", "import", *args])


def question_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Question.id)))


def write(tmp_path, text: str, name: str = "paper.txt", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_dry_run_json_follows_the_contract_and_writes_nothing(app, tmp_path):
    result = run(app, str(write(tmp_path, PAPER)), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    assert set(output) == {"format", "questions", "problems"}
    assert output["format"] == "cn-text"
    first, second, third = output["questions"]
    assert set(first) == QUESTION_KEYS
    assert first["type"] == "single" and first["answer"] == ["A"] and first["line"] == 2
    assert first["options"][0] == {"label": "A", "text": "倾听客户"}
    assert first["section"] == "单项选择题" and first["points"] == 1.0
    assert second["answer"] == ["B"] and len(second["options"]) == 4
    assert third["type"] == "true_false" and third["answer"] is False
    assert question_count() == 0
    assert db.session.scalar(select(func.count(QuestionBank.id))) == 0


def test_gbk_files_are_read(app, tmp_path):
    result = run(app, str(write(tmp_path, PAPER, encoding="gbk")), "--dry-run", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["questions"][0]["stem"].startswith("客户投诉处理的第一步是")


def test_an_error_exits_1_and_imports_nothing(app, tmp_path):
    result = run(app, str(write(tmp_path, BROKEN_PAPER)), "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert any(p["severity"] == "error" and 5 <= p["line"] <= 7 for p in problems)
    assert question_count() == 0


def test_a_file_without_questions_exits_1(app, tmp_path):
    result = run(app, str(write(tmp_path, "这只是一段说明文字，没有题目。\n")), "--dry-run", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["questions"] == []


def test_import_writes_into_the_named_bank_and_category_once(app, tmp_path):
    path = str(write(tmp_path, PAPER))
    first = run(app, path, "--bank", "客服题库", "--category", "模拟卷/第一套")
    assert first.exit_code == 0, first.stderr
    assert question_count() == 3
    again = run(app, path, "--bank", "客服题库", "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["skipped_duplicates"] == 3
    assert question_count() == 3


def test_explicit_format_overrides_detection(app, tmp_path):
    aiken = "客户投诉首先应当？\nA. 倾听\nB. 争辩\nANSWER: A\n"
    result = run(app, str(write(tmp_path, aiken, "paper.txt")), "--format", "aiken", "--dry-run", "--json")
    assert result.exit_code == 0
    output = json.loads(result.stdout)
    assert output["format"] == "aiken" and output["questions"][0]["answer"] == ["A"]


def test_dry_run_keeps_a_question_that_lost_its_number_and_exits_0(app, tmp_path):
    paper = "一、单选题\n客户来电先（A）\nA.问候 B.挂断\n2.投诉先（B）\nA.争辩 B.倾听"
    result = run(app, str(write(tmp_path, paper)), "--dry-run", "--json")
    assert result.exit_code == 0, result.stdout
    output = json.loads(result.stdout)
    assert set(output) == {"format", "questions", "problems"}
    assert [(q["number"], q["answer"], q["line"]) for q in output["questions"]] == [
        ("1", ["A"], 2),
        ("2", ["B"], 4),
    ]
    assert all(set(q) == QUESTION_KEYS for q in output["questions"])
    assert [(p["line"], p["severity"]) for p in output["problems"]] == [(2, "warning")]
