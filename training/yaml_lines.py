"""YAML files read with the line of every value, so an import reports each problem where it is.

PyYAML's composer keeps each value's position: `compose` turns a file into plain data plus the
line of every value by its path, and `locate` puts a problem found later (by path) on the line
of that value, or of the nearest enclosing one written. The role-play scenario files and the
certification level files both read this way; an import is all or nothing, so problems are
collected and raised together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from question_bank.texts import N_

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem of a file: its line (1-based, None when unknown), item, field and message."""

    line: int | None
    node: str | None  # the item it belongs to (a scenario node, a level's code), if any
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = [f"第 {self.line} 行" if self.line else "", self.node or "", self.field]
        return " · ".join(part for part in where if part) + f": {self.message}"


class YamlFileError(ValueError):
    """The file cannot be taken; `problems` lists every reason with its line."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__(prefix + "; ".join(str(problem) for problem in problems))


def compose(text: str, source: str = "") -> tuple[Any, dict[Path, int]]:
    """Plain data plus the line of every value in it, by path; syntax errors and an empty file
    raise `YamlFileError`."""
    plain = _Plain()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = plain.value(root, ()) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = N_("YAML 格式错误：%(error)s", error=error.problem or error)
        raise YamlFileError([Problem(line, None, "", message)], source) from error
    except yaml.YAMLError as error:
        raise YamlFileError(
            [Problem(None, None, "", N_("YAML 格式错误：%(error)s", error=error))], source
        ) from error
    if root is None:
        raise YamlFileError([Problem(1, None, "", N_("文件是空的"))], source)
    if plain.problems:
        raise YamlFileError(plain.problems, source)
    return data, plain.lines


def locate(path: Path, lines: dict[Path, int]) -> int | None:
    """The line of the value at `path`, or of the nearest enclosing value written."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


MOST_VALUES = 100_000  # our files have a few thousand; aliases could expand one far beyond


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
