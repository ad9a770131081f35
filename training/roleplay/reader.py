"""Reading a scenario's data (a parsed YAML file, or the JSON the database keeps) into the plain
`script.Scenario`, field by field.

Pure Python (no Flask, no database). The reader does not stop at the first mistake: it notes
every problem with the path of the value it is about (`FieldProblem`), so a trainer fixing a
file sees them all at once and the YAML loader can name each line. A typo'd key is a problem,
not something silently ignored.
"""

from __future__ import annotations

import math
from typing import Any

from question_bank.texts import N_
from training.roleplay.script import (
    FORMAT,
    FORMAT_VERSION,
    Brief,
    Channel,
    Dimension,
    FieldProblem,
    Forbidden,
    MoodGate,
    Node,
    NodeKind,
    Option,
    Outcome,
    Path,
    Scenario,
    ScoringPoint,
)


def read(data: Any, problems: list[FieldProblem]) -> Scenario | None:
    """Read the file's data, appending every problem found; None when it cannot be built."""
    return _Reader(problems).scenario(data)


_SCENARIO_FIELDS = {
    "format", "version", "key", "title", "channel", "brief", "start", "mood", "pass_mark",
    "weights", "reply_seconds", "articles", "nodes",
}  # fmt: skip
_BRIEF_FIELDS = {"customer", "situation", "screen"}
_NODE_FIELDS = {
    NodeKind.CUSTOMER: {"text", "mood_shown", "next", "articles"},
    NodeKind.NARRATION: {"text", "next", "articles"},
    NodeKind.DECISION: {"text", "options", "articles"},
    NodeKind.FREE_TEXT: {
        "text", "next", "scoring", "forbidden", "model_reply", "mood_matched", "mood_missed",
        "articles",
    },
    NodeKind.END: {"text", "outcome", "debrief", "articles"},
}  # fmt: skip
_OPTION_FIELDS = {
    "id", "text", "next", "points", "mood", "feedback", "model_reply", "critical", "when",
}  # fmt: skip
_SCORING_FIELDS = {"dimension", "points", "label", "phrases"}
_FORBIDDEN_FIELDS = {"phrases", "reason", "critical", "dimension", "penalty"}
_MISSING = object()


class _Reader:
    """Turns the file's data into a `Scenario`, noting every problem instead of stopping."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        self.node: str | None = None  # the id of the node being read, for the problems

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(FieldProblem(path, self.node, _field_name(path), message))

    # -- typed values ---------------------------------------------------------------------------

    def mapping(self, data: Any, path: Path, known: set[str]) -> dict[str, Any]:
        """A mapping; each unknown key is a problem (a typo must not be silently ignored)."""
        if not isinstance(data, dict):
            self.problem(path, N_("应为键值对"))
            return {}
        for key in data:
            if key not in known:
                self.problem((*path, str(key)), N_("未知字段 %(key)s", key=key))
        return data

    def text(self, data: dict[str, Any], key: str, path: Path, required: bool = False) -> str:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem((*path, key), N_("缺少 %(key)s", key=key))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem((*path, key), N_("应为文字"))
            return ""
        text = str(value).strip()
        if required and not text:
            self.problem((*path, key), N_("字段 %(key)s 不能为空", key=key))
        return text

    def number(
        self,
        data: dict[str, Any],
        key: str,
        path: Path,
        default: float | None = None,
        low: float | None = None,
        high: float | None = None,
        integer: bool = False,
    ) -> Any:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if default is None:
                self.problem((*path, key), N_("缺少 %(key)s", key=key))
            return default
        wanted = int if integer else int | float
        if isinstance(value, bool) or not isinstance(value, wanted) or not math.isfinite(value):
            self.problem((*path, key), N_("应为整数") if integer else N_("应为数字"))
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            shown = f"{'' if low is None else f'{low:g}'}–{'' if high is None else f'{high:g}'}"
            self.problem((*path, key), N_("应在 %(range)s 之间", range=shown))
            return default
        return value

    def flag(self, data: dict[str, Any], key: str, path: Path, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem((*path, key), N_("应为 true 或 false"))
            return default
        return value

    def choice(self, data: dict[str, Any], key: str, path: Path, enum: Any, required: bool) -> Any:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((*path, key), N_("缺少 %(key)s", key=key))
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = " | ".join(member.value for member in enum)
            self.problem(
                (*path, key),
                N_("值 %(value)s 不可用，可用的值：%(allowed)s", value=value, allowed=allowed),
            )
            return None

    def sequence(self, data: dict[str, Any], key: str, path: Path, required: bool) -> list[Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((*path, key), N_("缺少 %(key)s", key=key))
            return []
        if not isinstance(value, list):
            self.problem((*path, key), N_("应为列表"))
            return []
        return value

    def strings(
        self, data: dict[str, Any], key: str, path: Path, required: bool
    ) -> tuple[str, ...]:
        items = self.sequence(data, key, path, required)
        good = []
        for index, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                good.append(item.strip())
            else:
                self.problem((*path, key, index), N_("应为非空文字"))
        if required and not items and key in data:
            self.problem((*path, key), N_("字段 %(key)s 不能为空", key=key))
        return tuple(good)

    def points(self, data: dict[str, Any], key: str, path: Path) -> dict[Dimension, float]:
        raw = data.get(key) or {}
        if not isinstance(raw, dict):
            self.problem((*path, key), N_("应为 维度: 分数"))
            return {}
        points: dict[Dimension, float] = {}
        for name in raw:
            dimension = self.dimension(name, (*path, key, str(name)))
            value = self.number(raw, name, (*path, key), default=0)
            if dimension is Dimension.MOOD:
                self.problem(
                    (*path, key, str(name)),
                    N_("mood 按结束时的情绪计分，请用 mood: 写情绪变化"),
                )
            elif dimension is not None:
                points[dimension] = value
        return points

    def dimension(self, name: Any, path: Path) -> Dimension | None:
        try:
            return Dimension(name)
        except ValueError:
            allowed = " | ".join(member.value for member in Dimension)
            self.problem(
                path, N_("未知维度 %(name)s，可用的维度：%(allowed)s", name=name, allowed=allowed)
            )
            return None

    # -- the scenario ---------------------------------------------------------------------------

    def scenario(self, data: Any) -> Scenario | None:
        data = self.mapping(data, (), _SCENARIO_FIELDS)
        if not data:
            return None
        if data.get("format") != FORMAT:
            self.problem(("format",), N_("不是场景文件：应为 format: %(format)s", format=FORMAT))
        if data.get("version") != FORMAT_VERSION:
            self.problem(("version",), N_("不支持的版本，应为 %(version)s", version=FORMAT_VERSION))
        nodes = self.nodes(data)
        values = {
            "key": self.text(data, "key", ()),
            "title": self.text(data, "title", (), required=True),
            "channel": self.choice(data, "channel", (), Channel, required=True),
            "brief": self.brief(data.get("brief")),
            "start": self.text(data, "start", (), required=True),
            "mood": self.number(data, "mood", (), low=0, high=100, integer=True),
            "pass_mark": self.number(data, "pass_mark", (), low=0, high=100),
            "weights": self.weights(data.get("weights")),
            "reply_seconds": self.number(data, "reply_seconds", (), default=0, low=0, integer=True)
            or None,
            "articles": self.strings(data, "articles", (), required=False),
            "nodes": nodes,
        }
        if any(values[k] is None for k in ("channel", "brief", "mood", "pass_mark")):
            return None
        return Scenario(**values)

    def brief(self, data: Any) -> Brief | None:
        if data is None:
            self.problem(("brief",), N_("缺少 %(key)s", key="brief"))
            return None
        data = self.mapping(data, ("brief",), _BRIEF_FIELDS)
        return Brief(
            customer=self.text(data, "customer", ("brief",), required=True),
            situation=self.text(data, "situation", ("brief",), required=True),
            screen=self.text(data, "screen", ("brief",)),
        )

    def weights(self, data: Any) -> dict[Dimension, int]:
        if not isinstance(data, dict) or not data:
            self.problem(("weights",), N_("缺少 weights：维度: 权重"))
            return {}
        weights: dict[Dimension, int] = {}
        for name in data:
            dimension = self.dimension(name, ("weights", str(name)))
            weight = self.number(data, name, ("weights",), low=0, high=100, integer=True)
            if dimension is not None and weight is not None:
                weights[dimension] = weight
        return weights

    def nodes(self, data: dict[str, Any]) -> dict[str, Node]:
        nodes: dict[str, Node] = {}
        for index, item in enumerate(self.sequence(data, "nodes", (), required=True)):
            node = self.one_node(item, ("nodes", index))
            if node is None:
                continue
            if node.id in nodes:
                self.problem(("nodes", index, "id"), N_("节点 id %(id)s 重复", id=node.id))
            else:
                nodes[node.id] = node
        self.node = None
        return nodes

    def one_node(self, data: Any, path: Path) -> Node | None:
        self.node = None
        if not isinstance(data, dict):
            self.problem(path, N_("应为键值对"))
            return None
        self.node = self.text(data, "id", path, required=True) or None
        kind = self.choice(data, "kind", path, NodeKind, required=True)
        if kind is None or self.node is None:
            return None
        self.mapping(data, path, _NODE_FIELDS[kind] | {"id", "kind"})
        options = self.sequence(data, "options", path, required=kind is NodeKind.DECISION)
        return Node(
            id=self.node,
            kind=kind,
            text=self.text(data, "text", path, required=kind is NodeKind.CUSTOMER),
            mood_shown=self.flag(data, "mood_shown", path, default=True),
            next=self.text(data, "next", path) or None,
            options=self.options(options, (*path, "options")),
            scoring=tuple(
                point
                for index, item in enumerate(self.sequence(data, "scoring", path, required=False))
                if (point := self.scoring_point(item, (*path, "scoring", index))) is not None
            ),
            forbidden=tuple(
                entry
                for index, item in enumerate(self.sequence(data, "forbidden", path, required=False))
                if (entry := self.forbidden(item, (*path, "forbidden", index))) is not None
            ),
            model_reply=self.text(data, "model_reply", path),
            mood_matched=self.number(data, "mood_matched", path, 0, -100, 100, integer=True),
            mood_missed=self.number(data, "mood_missed", path, 0, -100, 100, integer=True),
            outcome=self.choice(data, "outcome", path, Outcome, required=kind is NodeKind.END),
            debrief=self.text(data, "debrief", path),
            articles=self.strings(data, "articles", path, required=False),
        )

    def options(self, items: list[Any], path: Path) -> tuple[Option, ...]:
        options: list[Option] = []
        for index, item in enumerate(items):
            option = self.option(item, (*path, index))
            if option is None:
                continue
            if any(other.id == option.id for other in options):
                self.problem((*path, index, "id"), N_("选项 id %(id)s 重复", id=option.id))
            else:
                options.append(option)
        return tuple(options)

    def option(self, data: Any, path: Path) -> Option | None:
        data = self.mapping(data, path, _OPTION_FIELDS)
        if not data:
            return None
        option_id = self.text(data, "id", path, required=True)
        values = {
            "text": self.text(data, "text", path, required=True),
            "next": self.text(data, "next", path, required=True),
            "points": self.points(data, "points", path),
            "mood": self.number(data, "mood", path, 0, -100, 100, integer=True),
            "feedback": self.text(data, "feedback", path),
            "model_reply": self.text(data, "model_reply", path),
            "critical": self.text(data, "critical", path) or None,
            "gate": self.gate(data.get("when"), (*path, "when")),
        }
        return Option(id=option_id, **values) if option_id else None

    def gate(self, data: Any, path: Path) -> MoodGate | None:
        if data is None:
            return None
        data = self.mapping(data, path, {"at_least", "below"})
        at_least = self.number(data, "at_least", path, default=-1, low=0, high=100, integer=True)
        below = self.number(data, "below", path, default=-1, low=0, high=101, integer=True)
        gate = MoodGate(None if at_least < 0 else at_least, None if below < 0 else below)
        if gate.at_least is None and gate.below is None:
            self.problem(path, N_("when 需要 at_least 或 below"))
            return None
        return gate

    def scoring_point(self, data: Any, path: Path) -> ScoringPoint | None:
        data = self.mapping(data, path, _SCORING_FIELDS)
        if not data:
            return None
        dimension = self.choice(data, "dimension", path, Dimension, required=True)
        if dimension is Dimension.MOOD:
            self.problem((*path, "dimension"), N_("mood 按结束时的情绪计分"))
            dimension = None
        points = self.number(data, "points", path, low=0)
        phrases = self.strings(data, "phrases", path, required=True)
        if points is not None and points <= 0:
            self.problem((*path, "points"), N_("得分点的分数应大于 0"))
        label = self.text(data, "label", path)
        if dimension is None or points is None or not phrases:
            return None
        return ScoringPoint(dimension, points, phrases, label)

    def forbidden(self, data: Any, path: Path) -> Forbidden | None:
        data = self.mapping(data, path, _FORBIDDEN_FIELDS)
        if not data:
            return None
        phrases = self.strings(data, "phrases", path, required=True)
        reason = self.text(data, "reason", path, required=True)
        critical = self.flag(data, "critical", path, default=False)
        dimension = self.choice(data, "dimension", path, Dimension, required=False)
        penalty = self.number(data, "penalty", path, default=0, low=0)
        if not critical and (dimension is None or not penalty):
            self.problem(
                path,
                N_("禁用语应为 critical: true，或写 dimension 和 penalty"),
            )
        if not phrases or not reason:
            return None
        return Forbidden(phrases, reason, critical, dimension, penalty)


def _field_name(path: Path) -> str:
    """`options[1].next` for a path inside a node, `weights.listen` for the scenario's own."""
    inside = path[2:] if path[:1] == ("nodes",) else path
    name = ""
    for part in inside:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name
