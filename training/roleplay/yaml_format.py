"""The scenario file (YAML, `format: servicecoach-scenario`): read with every problem at its line.

`training.yaml_lines` keeps each value's line, so the reader (`reader.read`) can report by the
path of a value and this module turns the path into the file's line. An import is all or
nothing: `load` raises with every problem at once, never with the first one only.
"""

from __future__ import annotations

from typing import Any

import yaml

from question_bank.texts import N_
from training.roleplay import graph
from training.roleplay.reader import read
from training.roleplay.script import FieldProblem, Path, Scenario, to_dict
from training.yaml_lines import Problem, YamlFileError, compose, locate


class ScenarioFileError(YamlFileError):
    """The file cannot be read as a scenario; `problems` lists every reason with its line."""


def load(text: str, source: str = "") -> Scenario:
    """The scenario the file describes; raises `ScenarioFileError` with every problem found."""
    data, lines = _compose(text, source)
    problems: list[FieldProblem] = []
    scenario = read(data, problems)
    if problems or scenario is None:
        located = sorted(
            (_locate(problem, lines) for problem in problems), key=lambda p: p.line or 0
        )
        raise ScenarioFileError(located or [Problem(1, None, "", N_("文件是空的"))], source)
    return scenario


def load_checked(text: str, source: str = "") -> tuple[Scenario, graph.Check]:
    """The scenario and its graph check; errors of either kind raise, each at its node's line.

    What saving and importing use: a file is taken only when it reads *and* validates."""
    scenario = load(text, source)
    check = graph.check(scenario)
    if not check.valid:
        lines = node_lines(text)
        raise ScenarioFileError(
            [
                Problem(lines.get(p.node or "", 1), p.node, "", p.message)
                for p in check.problems
                if p.severity == "error"
            ],
            source,
        )
    return scenario, check


def node_lines(text: str) -> dict[str, int]:
    """The line each node's entry starts at, by node id (for problems found after reading)."""
    try:
        data, lines = _compose(text, "")
    except ScenarioFileError:
        return {}
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, list):
        return {}
    return {
        str(node["id"]): lines[("nodes", index)]
        for index, node in enumerate(nodes)
        if isinstance(node, dict) and "id" in node
    }


def dump(scenario: Scenario) -> str:
    """The scenario as a file `load` reads back to an equal scenario."""
    return yaml.safe_dump(
        to_dict(scenario), allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )


def _compose(text: str, source: str) -> tuple[Any, dict[Path, int]]:
    """Plain data plus the line of every value in it, by path; YAML syntax errors raise."""
    try:
        return compose(text, source)
    except YamlFileError as error:
        raise ScenarioFileError(error.problems, source) from error


def _locate(problem: FieldProblem, lines: dict[Path, int]) -> Problem:
    """Put the problem on the line of its value, or of the nearest enclosing one written."""
    return Problem(locate(problem.path, lines), problem.node, problem.field, problem.message)
