"""A role-play scenario as plain data: what a scenario file says, before any database sees it.

Pure Python (no Flask, no database): `reader` builds these from a file's data, the graph
checks and the scoring read them, and the database keeps one frozen `Scenario` per scenario
version (as JSON, `to_dict` / `from_dict`), so a run always replays the version it started on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

FORMAT = "servicecoach-scenario"
FORMAT_VERSION = 1


class Channel(StrEnum):
    PHONE = "phone"
    COUNTER = "counter"
    CHAT = "chat"


class NodeKind(StrEnum):
    CUSTOMER = "customer"  # the customer speaks; goes on to `next`
    NARRATION = "narration"  # what happens around the talk; goes on to `next`
    DECISION = "decision"  # the employee picks one of 2–5 options
    FREE_TEXT = "free_text"  # the employee types a reply; scored on phrases
    END = "end"  # the conversation is over: an outcome and a debrief


class Outcome(StrEnum):
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    LOST = "lost"  # the customer is lost (hangs up, leaves, complains elsewhere)


class Dimension(StrEnum):
    """The complaint-handling steps the company's manuals teach, plus the customer's mood."""

    LISTEN = "listen"  # 倾听: listen and restate
    EMPATHY = "empathy"  # 共鸣
    APOLOGY = "apology"  # 道歉: for the impact
    RESOLVE = "resolve"  # 解决: concrete action, time commitment, follow-up
    OWNERSHIP = "ownership"  # 首问负责: no 推诿, no blaming other departments, no arguing
    COMPLIANCE = "compliance"  # privacy, no promises the rules forbid
    MOOD = "mood"  # the customer's mood at the end (0–100)


@dataclass(frozen=True)
class MoodGate:
    """An option is offered only while the mood is within [at_least, below)."""

    at_least: int | None = None
    below: int | None = None

    def admits(self, mood: int) -> bool:
        return (self.at_least is None or mood >= self.at_least) and (
            self.below is None or mood < self.below
        )


@dataclass(frozen=True)
class Option:
    """One reply the employee can pick at a decision node."""

    id: str
    text: str
    next: str
    points: dict[Dimension, float] = field(default_factory=dict)
    mood: int = 0  # change of the customer's mood when picked
    feedback: str = ""  # shown in the debrief
    model_reply: str = ""  # the company's 正确的处理 for this step
    critical: str | None = None  # 一票否决: the reason; the run fails whatever its total
    gate: MoodGate | None = None


@dataclass(frozen=True)
class ScoringPoint:
    """Points in one dimension for a typed reply that contains any of the phrases.

    Each phrase is a list of alternatives written `道歉|抱歉|对不起`; all words of one
    alternative must appear among the reply's jieba tokens (see `freetext`)."""

    dimension: Dimension
    points: float
    phrases: tuple[str, ...]
    label: str = ""  # what the point is, for the reviewer and the debrief


@dataclass(frozen=True)
class Forbidden:
    """A phrase a typed reply must not contain (推诿, 指责其他部门, 争辩, privacy)."""

    phrases: tuple[str, ...]
    reason: str
    critical: bool = False  # a critical forbidden phrase fails the run
    dimension: Dimension | None = None  # otherwise: the dimension that loses `penalty`
    penalty: float = 0


@dataclass(frozen=True)
class Node:
    id: str
    kind: NodeKind
    text: str = ""
    mood_shown: bool = True  # customer nodes: show the mood meter's value with the line
    next: str | None = None  # customer, narration, free_text
    options: tuple[Option, ...] = ()  # decision
    scoring: tuple[ScoringPoint, ...] = ()  # free_text
    forbidden: tuple[Forbidden, ...] = ()  # free_text
    model_reply: str = ""  # free_text (decision options carry their own)
    mood_matched: int = 0  # free_text: mood change when at least one scoring point matched
    mood_missed: int = 0  # free_text: mood change when none matched
    outcome: Outcome | None = None  # end
    debrief: str = ""  # end
    articles: tuple[str, ...] = ()  # manual article references behind this step


@dataclass(frozen=True)
class Brief:
    customer: str  # who is calling / at the counter
    situation: str  # what happened
    screen: str = ""  # what the employee sees on screen


@dataclass(frozen=True)
class Scenario:
    title: str
    channel: Channel
    brief: Brief
    start: str
    mood: int  # the customer's mood at the start, 0 (furious) – 100 (content)
    pass_mark: float  # 0–100
    weights: dict[Dimension, int]  # sum to 100
    nodes: dict[str, Node]  # in file order
    reply_seconds: int | None = None  # per-reply time limit
    articles: tuple[str, ...] = ()  # manual article references for the whole scenario
    key: str = ""  # stable identifier across versions (file name stem of bundled scenarios)


# --- plain data: the file's shape, JSON-able ---------------------------------------------------
#
# `to_dict` gives exactly what a scenario file says (YAML and the database's frozen version share
# it), leaving out what is at its default; `from_dict` reads it back. `reader.read` does the
# reading for both and for the YAML loader, collecting every problem with the path of the value
# it is about, so the loader can name the line.

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one value of the data: where (`path`), in which node, which field."""

    path: Path
    node: str | None
    field: str
    message: str


class ScenarioDataError(ValueError):
    """The data does not describe a scenario; `problems` says every reason at once."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


def to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the file writes it (JSON-able); `from_dict` gives the same scenario back."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "key": scenario.key,
        "title": scenario.title,
        "channel": str(scenario.channel),
        "brief": _drop_empty(
            {
                "customer": scenario.brief.customer,
                "situation": scenario.brief.situation,
                "screen": scenario.brief.screen,
            }
        ),
        "start": scenario.start,
        "mood": scenario.mood,
        "pass_mark": scenario.pass_mark,
        "weights": {str(name): weight for name, weight in scenario.weights.items()},
        "reply_seconds": scenario.reply_seconds,
        "articles": list(scenario.articles),
        "nodes": [_node_dict(node) for node in scenario.nodes.values()],
    }
    return _drop_empty(data, keep=("format", "version", "title", "start", "mood", "pass_mark"))


def _drop_empty(data: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Leave out what is at its default (None, "", empty, a number 0) so files stay short."""
    return {k: v for k, v in data.items() if k in keep or not _is_default(v)}


def _is_default(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return value is None  # a flag is written as None when at its default
    if isinstance(value, int | float):
        return value == 0
    return not value


def _node_dict(node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": node.id,
        "kind": str(node.kind),
        "text": node.text,
        "mood_shown": None if node.mood_shown else False,
        "next": node.next,
        "options": [_option_dict(option) for option in node.options],
        "scoring": [_scoring_dict(point) for point in node.scoring],
        "forbidden": [_forbidden_dict(item) for item in node.forbidden],
        "model_reply": node.model_reply,
        "mood_matched": node.mood_matched,
        "mood_missed": node.mood_missed,
        "outcome": str(node.outcome) if node.outcome else None,
        "debrief": node.debrief,
        "articles": list(node.articles),
    }
    # A decision's options are required when read, so even none are written (the graph check
    # then names the problem) and the file reads back.
    required = ("options",) if node.kind == NodeKind.DECISION else ()
    return _drop_empty(data, keep=("id", "kind", *required))


def _option_dict(option: Option) -> dict[str, Any]:
    gate = option.gate
    data: dict[str, Any] = {
        "id": option.id,
        "text": option.text,
        "next": option.next,
        "points": {str(name): value for name, value in option.points.items()},
        "mood": option.mood,
        "feedback": option.feedback,
        "model_reply": option.model_reply,
        "critical": option.critical,
        "when": _drop_empty({"at_least": gate.at_least, "below": gate.below}, keep=_gate_keys(gate))
        if gate
        else None,
    }
    return _drop_empty(data, keep=("id", "text", "next"))


def _gate_keys(gate: MoodGate) -> tuple[str, ...]:
    """A gate at 0 is still a gate: keep the bounds that are set, whatever their value."""
    return tuple(k for k in ("at_least", "below") if getattr(gate, k) is not None)


def _scoring_dict(point: ScoringPoint) -> dict[str, Any]:
    data = {
        "dimension": str(point.dimension),
        "points": point.points,
        "label": point.label,
        "phrases": list(point.phrases),
    }
    return _drop_empty(data, keep=("dimension", "points", "phrases"))


def _forbidden_dict(item: Forbidden) -> dict[str, Any]:
    data = {
        "phrases": list(item.phrases),
        "reason": item.reason,
        "critical": item.critical or None,
        "dimension": str(item.dimension) if item.dimension else None,
        "penalty": item.penalty,
    }
    return _drop_empty(data, keep=("phrases", "reason"))


def from_dict(data: Any) -> Scenario:
    """The scenario `to_dict` wrote; raises `ScenarioDataError` naming every problem."""
    # Imported here, not at the top: the reader builds this module's classes, so it imports it.
    from training.roleplay.reader import read

    problems: list[FieldProblem] = []
    scenario = read(data, problems)
    if problems or scenario is None:
        raise ScenarioDataError(problems)
    return scenario
