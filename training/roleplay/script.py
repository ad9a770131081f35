"""A role-play scenario as plain data: what a scenario file says, before any database sees it.

Pure Python (no Flask, no database): the YAML reader builds these, the graph checks and the
scoring read them, and the database keeps one frozen `Scenario` per scenario version (as JSON,
`to_dict` / `from_dict`), so a run always replays the version it started on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

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
