"""`servicecoach scenario validate FILE --json`: the contract other tools read."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.roleplay import sample
from training.cli import main


def validate(tmp_path, text: str, *options: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["scenario", "validate", str(path), *options])


def test_a_valid_file_prints_its_figures_and_exits_0(tmp_path):
    result = validate(tmp_path, sample.TEXT, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "valid": True,
        "problems": [],
        "max_score": 90.5,
        "min_score": 0.0,
        "endings": 3,
        "paths": 8,
    }


def test_graph_problems_are_listed_and_exit_1(tmp_path):
    result = validate(tmp_path, sample.TEXT.replace("pass_mark: 60", "pass_mark: 95"), "--json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["valid"] is False
    assert payload["problems"] == [
        {"node": None, "severity": "error", "message": "没有能及格的路径"}
    ]
    assert (payload["max_score"], payload["paths"]) == (90.5, 8)


def test_a_file_that_does_not_read_names_the_line_in_the_same_shape(tmp_path):
    result = validate(tmp_path, sample.TEXT.replace("channel: counter", "channel: fax"), "--json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload == {
        "valid": False,
        "problems": [
            {
                "node": None,
                "severity": "error",
                "message": "第 7 行 · channel: 值 fax 不可用，可用的值：phone | counter | chat",
            }
        ],
        "max_score": None,
        "min_score": None,
        "endings": 0,
        "paths": 0,
    }


def test_without_json_each_problem_is_a_line_with_file_and_line(tmp_path):
    text = sample.TEXT.replace("        next: e3\n", "        next: e9\n")
    result = validate(tmp_path, text)
    assert result.exit_code == 1
    line = text[: text.index("- id: d2")].count("\n") + 1
    assert f"scenario.yaml:{line}: error: d2: 选项 b 的 next 指向不存在的节点 e9" in result.output
    assert result.output.splitlines()[-1].startswith("scenario.yaml: invalid;")
