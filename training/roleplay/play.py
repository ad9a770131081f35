"""The conversation as a state machine: where a run is, what it may answer, where that leads.

A run is at a node with a mood. Every node but an end is a step: a decision takes an option, a
free-text node takes a typed reply, and a customer line or narration takes a plain "continue"
(neither option nor text). Reaching an end node ends the run. Nothing here is stored: the caller
records each `Move` and passes the run's node and mood back in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from training.roleplay.freetext import judge
from training.roleplay.script import Dimension, Node, NodeKind, Option, Scenario


class PlayError(ValueError):
    """The reply does not fit the step (unknown or closed option, text where an option is due)."""


@dataclass(frozen=True)
class Move:
    """One recorded step of a run."""

    node_id: str
    option_id: str | None = None
    text: str | None = None
    points: dict[Dimension, float] = field(default_factory=dict)
    mood_after: int = 0
    critical: str | None = None  # the reason of a critical mistake made in this step
    next_node_id: str | None = None
    suggested: bool = False  # a typed reply: the points await a trainer's review
    matched: tuple[str, ...] = ()  # typed reply: the scoring points it earned
    forbidden: tuple[str, ...] = ()  # typed reply: reasons of the forbidden phrases it used


def clamp(mood: int) -> int:
    return max(0, min(100, mood))


def offered(node: Node, mood: int) -> list[Option]:
    """The options open at this mood (a gated option shows only while its gate admits the mood)."""
    return [option for option in node.options if option.gate is None or option.gate.admits(mood)]


def advance(
    scenario: Scenario,
    node_id: str,
    mood: int,
    option_id: str | None = None,
    text: str | None = None,
) -> Move:
    """The step taken at `node_id`: its points, the mood after it and the next node."""
    node = scenario.nodes.get(node_id)
    if node is None:
        raise PlayError(f"no node {node_id}")
    if node.kind is NodeKind.END:
        raise PlayError("the conversation has ended")
    if node.kind is NodeKind.DECISION:
        return _choose(node, mood, option_id, text)
    if option_id is not None:
        raise PlayError("this step takes no option")
    if node.kind is NodeKind.FREE_TEXT:
        return _typed(node, mood, text)
    if text is not None:
        raise PlayError("this step takes no text")
    return Move(node_id=node.id, mood_after=clamp(mood), next_node_id=node.next)


def _choose(node: Node, mood: int, option_id: str | None, text: str | None) -> Move:
    if option_id is None or text is not None:
        raise PlayError("this step takes one of its options")
    option = next((o for o in offered(node, mood) if o.id == option_id), None)
    if option is None:
        raise PlayError(f"option {option_id} is not offered here")
    return Move(
        node_id=node.id,
        option_id=option.id,
        points=dict(option.points),
        mood_after=clamp(mood + option.mood),
        critical=option.critical,
        next_node_id=option.next,
    )


def _typed(node: Node, mood: int, text: str | None) -> Move:
    if text is None or not text.strip():
        raise PlayError("this step takes a typed reply")
    verdict = judge(node, text)
    return Move(
        node_id=node.id,
        text=text.strip(),
        points=verdict.points,
        mood_after=clamp(mood + verdict.mood),
        critical=verdict.critical,
        next_node_id=node.next,
        suggested=True,
        matched=verdict.matched,
        forbidden=verdict.forbidden,
    )
