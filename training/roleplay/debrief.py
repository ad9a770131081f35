"""What the employee sees of a run: the conversation so far while playing, the debrief after.

The chat page shows only what was said (customer lines, narration, the employee's replies):
no points, critical flags, feedback or model replies reach the browser before the run ends.
The debrief adds them, step by step, from the run's own frozen version, with the manual
articles behind each step resolved to the library's current edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from training.database import db
from training.errors import NotFound
from training.manuals.articles import Article, articles_by_reference
from training.roleplay.models import RunState, RunStep, ScenarioRun
from training.roleplay.script import Node, NodeKind, Option, Scenario

SPOKEN = (NodeKind.CUSTOMER, NodeKind.NARRATION)


@dataclass(frozen=True)
class Line:
    """One bubble of the conversation: `speaker` is customer, narration or me."""

    speaker: str
    text: str


@dataclass(frozen=True)
class DebriefStep:
    """One answered step with what it earned and what the company teaches for it."""

    number: int
    kind: NodeKind
    prompt: str  # the customer's line, the narration, or the decision's question
    reply: str  # what the employee said ("" for customer lines and narration)
    points: dict[str, float]
    awaiting_review: bool
    review_reason: str | None
    critical: str | None
    feedback: str
    model_reply: str
    articles: list[Article] = field(default_factory=list)

    @property
    def is_reply(self) -> bool:
        return self.kind not in SPOKEN


@dataclass(frozen=True)
class Debrief:
    run: ScenarioRun
    scenario: Scenario
    steps: list[DebriefStep]
    ending: Node | None
    articles: list[Article]  # behind the scenario as a whole

    @property
    def provisional(self) -> bool:
        return self.run.state == RunState.PENDING_REVIEW

    @property
    def critical_steps(self) -> list[DebriefStep]:
        return [step for step in self.steps if step.critical]


def own_run(run_id: int, user_id: int) -> ScenarioRun:
    """The user's run; another's is as absent as a missing one (no hint that it exists)."""
    run = db.session.get(ScenarioRun, run_id)
    if run is None or run.user_id != user_id:
        raise NotFound()
    return run


def step_started_at(run: ScenarioRun) -> datetime:
    """When the awaited step was put to the employee: the per-reply countdown runs from here."""
    return run.steps[-1].answered_at if run.steps else run.started_at


def history(run: ScenarioRun) -> list[Line]:
    """The conversation up to the step the run awaits, as the employee saw it."""
    scenario = run.version.script
    return [_line(scenario.nodes[step.node_id], step) for step in run.steps]


def _line(node: Node, step: RunStep) -> Line:
    if node.kind in SPOKEN:
        return Line(node.kind, node.text)
    if node.kind == NodeKind.DECISION:
        return Line("me", _chosen(node, step).text)
    return Line("me", step.text or "")


def _chosen(node: Node, step: RunStep) -> Option:
    return next(option for option in node.options if option.id == step.option_id)


def debrief(run: ScenarioRun) -> Debrief:
    """The finished run, step by step; refused while it is in progress (no scoring data yet)."""
    if not run.finished:
        raise NotFound()
    scenario = run.version.script
    refs = [*scenario.articles, *(ref for node in scenario.nodes.values() for ref in node.articles)]
    resolved = articles_by_reference(refs)
    steps = [_step(scenario.nodes[step.node_id], step, resolved) for step in run.steps]
    ending = scenario.nodes.get(run.node_id)
    return Debrief(
        run, scenario, steps,
        ending if ending is not None and ending.kind == NodeKind.END else None,
        [resolved[ref] for ref in scenario.articles if ref in resolved],
    )


def _step(node: Node, step: RunStep, resolved: dict[str, Article]) -> DebriefStep:
    feedback = model_reply = ""
    if node.kind == NodeKind.DECISION:
        option = _chosen(node, step)
        feedback = option.feedback
        # The company's way for this step: the chosen option's, else the first one given.
        model_reply = option.model_reply or next(
            (o.model_reply for o in node.options if o.model_reply), ""
        )
    elif node.kind == NodeKind.FREE_TEXT:
        model_reply = node.model_reply
    line = _line(node, step)
    return DebriefStep(
        number=step.step,
        kind=node.kind,
        prompt=node.text,
        reply=line.text if line.speaker == "me" else "",
        points={name: value for name, value in step.counted_points.items() if value},
        awaiting_review=step.awaiting_review,
        review_reason=step.review_reason,
        critical=step.critical,
        feedback=feedback,
        model_reply=model_reply,
        articles=[resolved[ref] for ref in node.articles if ref in resolved],
    )
