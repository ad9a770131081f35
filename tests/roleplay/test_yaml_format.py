"""Scenario files: every problem at once, each at its line; export reads back the same."""

from __future__ import annotations

import pytest

from tests.roleplay import sample
from training.roleplay.yaml_format import ScenarioFileError, dump, load, load_checked


def _problems(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ScenarioFileError) as raised:
        load(text, "broken.yaml")
    return [(p.line, p.node, p.field) for p in raised.value.problems]


def _line_of(text: str, fragment: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(fragment, start)].count("\n") + 1


def test_the_file_loads_as_the_data_says():
    assert load(sample.TEXT) == sample.scenario()


def test_an_exported_file_loads_back_to_the_same_scenario():
    scenario = load(sample.TEXT)
    exported = dump(scenario)
    assert exported.startswith("format: servicecoach-scenario\nversion: 1\n")
    assert "网银盾" in exported  # written as Chinese, not \u escapes
    assert load(exported) == scenario


def test_every_problem_is_reported_at_its_line():
    text = (
        sample.TEXT.replace("channel: counter", "channel: fax")
        .replace("    text: 对，我今天就要用。\n", "    txet: 对，我今天就要用。\n")
        .replace("points: {apology: 5, empathy: 5}", "points: {apology: 5, empathy: many}")
        .replace("  - id: e3\n", "  - id: e2\n")
    )
    assert _problems(text) == [
        (_line_of(text, "channel: fax"), None, "channel"),
        (_line_of(text, "- id: c2"), "c2", "text"),
        (_line_of(text, "txet:"), "c2", "txet"),
        (_line_of(text, "points: {apology: 5, empathy: many}"), "d2", "options[0].points.empathy"),
        (_line_of(text, "id: e2", after="outcome: escalated"), "e2", "id"),
    ]


def test_a_missing_field_is_reported_at_its_parent():
    text = sample.TEXT.replace("        next: e3\n", "")
    assert _problems(text) == [(_line_of(text, "- id: b", after="id: d2"), "d2", "options[1].next")]


def test_a_key_written_twice_is_a_problem_not_a_silent_overwrite():
    text = sample.TEXT.replace("mood: 25\n", "mood: 25\nmood: 80\n")
    assert _problems(text) == [(_line_of(text, "mood: 80"), None, "mood")]


def test_a_yaml_syntax_error_names_its_line():
    text = sample.TEXT.replace("    text: 你们这是什么服务！", "    text: [你们这是什么服务！")
    problems = _problems(text)
    assert len(problems) == 1
    assert problems[0][0] in (_line_of(text, "[你们这"), _line_of(text, "[你们这") + 1)


def test_other_files_are_refused_with_a_reason():
    assert _problems("") == [(1, None, "")]
    assert _problems("- just\n- a list\n") == [(1, None, "")]
    with pytest.raises(ScenarioFileError, match="format"):
        load(sample.TEXT.replace("format: servicecoach-scenario", "format: something-else"))


def test_a_file_that_reads_but_does_not_validate_is_refused_at_the_node():
    text = sample.TEXT.replace("        next: e3\n", "        next: c9\n")
    with pytest.raises(ScenarioFileError) as raised:
        load_checked(text)
    found = [(p.line, p.node, "c9" in p.message) for p in raised.value.problems]
    assert found == [
        (_line_of(text, "- id: d2"), "d2", True),
        (_line_of(text, "- id: e3"), "e3", False),
    ]


def test_a_valid_file_comes_with_its_figures():
    scenario, check = load_checked(sample.TEXT)
    assert scenario.key == "counter-ebanking"
    assert check.valid and check.max_score == 90.5


def test_an_alias_that_contains_itself_is_a_problem_not_a_hang():
    assert _problems("nodes: &x [1, *x]\n") == [(1, None, "")]


def test_aliases_expanding_past_any_scenario_are_refused():
    levels = ["a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(ScenarioFileError, match="文件过大") as raised:
        load("\n".join(levels) + "\n")
    assert len(raised.value.problems) == 1


def test_not_a_number_is_not_a_number():
    text = sample.TEXT.replace("pass_mark: 60", "pass_mark: .nan")
    assert _problems(text) == [(_line_of(text, "pass_mark"), None, "pass_mark")]
