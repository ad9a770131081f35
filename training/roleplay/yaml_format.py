"""The scenario file (YAML, `format: servicecoach-scenario`): read with every problem at its line.

PyYAML's composer keeps each value's position, so the reader (`reader.read`) can report by the
path of a value and this module turns the path into the file's line. An import is all or
nothing: `load` raises with every problem at once, never with the first one only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from question_bank.texts import N_
from training.roleplay import graph
from training.roleplay.reader import read
from training.roleplay.script import FieldProblem, Path, Scenario, to_dict


@dataclass(frozen=True)
class Problem:
    """One problem of a scenario file: its line (1-based, None when unknown), node and field."""

    line: int | None
    node: str | None
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = [f"第 {self.line} 行" if self.line else "", self.node or "", self.field]
        return " · ".join(part for part in where if part) + f": {self.message}"


class ScenarioFileError(ValueError):
    """The file cannot be read as a scenario; `problems` lists every reason with its line."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__(prefix + "; ".join(str(problem) for problem in problems))


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
    plain = _Plain()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = plain.value(root, ()) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = N_("YAML 格式错误：%(error)s", error=error.problem or error)
        raise ScenarioFileError([Problem(line, None, "", message)], source) from error
    except yaml.YAMLError as error:
        raise ScenarioFileError(
            [Problem(None, None, "", N_("YAML 格式错误：%(error)s", error=error))], source
        ) from error
    if root is None:
        raise ScenarioFileError([Problem(1, None, "", N_("文件是空的"))], source)
    if plain.problems:
        raise ScenarioFileError(plain.problems, source)
    return data, plain.lines


MOST_VALUES = 100_000  # a scenario has a few thousand; aliases could expand a file far beyond


class _Plain:
    """Turns composed YAML into plain data, noting the line of every value by its path.

    A key written twice is a problem (YAML would silently keep the last). Aliases are followed,
    but one that contains itself, or expansions past `MOST_VALUES`, stop with a problem."""

    def __init__(self) -> None:
        self.lines: dict[Path, int] = {}
        self.problems: list[Problem] = []
        self.open: set[int] = set()  # the collections being read, to catch a recursive alias
        self.left = MOST_VALUES

    def value(self, node: yaml.Node, path: Path) -> Any:
        line = node.start_mark.line + 1
        self.lines[path] = line
        self.left -= 1
        if self.left < 0 or id(node) in self.open:
            if self.left == -1 or id(node) in self.open:
                message = N_("文件过大或别名循环引用")
                self.problems.append(Problem(line, None, "", message))
            return None
        if isinstance(node, yaml.MappingNode):
            return self.collection(node, lambda: self.mapping(node, path))
        if isinstance(node, yaml.SequenceNode):
            return self.collection(
                node, lambda: [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
            )
        return _scalar(node)

    def collection(self, node: yaml.Node, read: Callable[[], Any]) -> Any:
        self.open.add(id(node))
        try:
            return read()
        finally:
            self.open.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if key in mapping:
                message = N_("字段 %(key)s 写了两次", key=key)
                self.problems.append(Problem(key_node.start_mark.line + 1, None, str(key), message))
            mapping[key] = self.value(value_node, (*path, str(key)))
        return mapping


def _scalar(node: yaml.Node) -> Any:
    """A scalar as YAML's safe loader types it (numbers, booleans, null, text)."""
    if not isinstance(node, yaml.ScalarNode):
        return f"<{node.tag}>"  # a complex key: never a valid field
    return yaml.constructor.SafeConstructor().construct_object(node)


def _locate(problem: FieldProblem, lines: dict[Path, int]) -> Problem:
    """Put the problem on the line of its value, or of the nearest enclosing one written."""
    path = problem.path
    while path and path not in lines:
        path = path[:-1]
    return Problem(lines.get(path), problem.node, problem.field, problem.message)
