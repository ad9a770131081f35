"""What a player receives about a run: allow-lists, never the scenario's own fields.

Before the run ends, a node is its id, kind, text and the texts of the options offered now, and
the transcript is what was said: no points, critical flags, feedback or model replies, so they
cannot reach the browser by accident. Once it has ended, the debrief joins: the result, and per
step the points that count, the critical mistake with its reason, the feedback, the company's
model reply and the manual articles behind the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from training.roleplay import play
from training.roleplay.models import RunState, RunStep, ScenarioRun
from training.roleplay.script import Node, NodeKind, Option
from training.roleplay.script import Scenario as Script


def brief_json(scenario: Script) -> dict[str, str]:
    return {
        "customer": scenario.brief.customer,
        "situation": scenario.brief.situation,
        "screen": scenario.brief.screen,
    }


def node_json(node: Node, mood: int) -> dict[str, Any]:
    """The node as the player sees it: for a decision, only the options open at this mood."""
    options = play.offered(node, mood) if node.kind == NodeKind.DECISION else []
    return {
        "id": node.id,
        "kind": str(node.kind),
        "text": node.text,
        "options": [{"id": option.id, "text": option.text} for option in options],
    }


@dataclass(frozen=True)
class TranscriptStep:
    """One answered step, with its debrief (read only once the run has ended)."""

    row: RunStep
    node: Node
    option: Option | None

    @property
    def reply(self) -> str | None:
        """What the employee said: the option's text or the typed reply (None: "continue")."""
        return self.option.text if self.option is not None else self.row.text

    @property
    def feedback(self) -> str:
        return self.option.feedback if self.option is not None else ""

    @property
    def model_reply(self) -> str:
        """The company's 正确的处理 here: the option's own, else the node's, else the first
        option that has one."""
        if self.option is not None and self.option.model_reply:
            return self.option.model_reply
        if self.node.model_reply:
            return self.node.model_reply
        return next((o.model_reply for o in self.node.options if o.model_reply), "")

    def said(self) -> dict[str, Any]:
        """What was said at this step, for a run still in progress."""
        return {"step": self.row.step, "node_id": self.node.id, "kind": str(self.node.kind),
                "text": self.node.text, "reply": self.reply}

    def debrief(self) -> dict[str, Any]:
        return {
            **self.said(),
            "option_id": self.row.option_id,
            "points": self.row.counted_points,
            "suggested": self.row.suggested,
            "reviewed": self.row.reviewed_at is not None,
            "review_reason": self.row.review_reason,
            "critical": self.row.critical,
            "feedback": self.feedback,
            "model_reply": self.model_reply,
            "articles": list(self.node.articles),
        }


def transcript(run: ScenarioRun) -> list[TranscriptStep]:
    """The run's answered steps, in order, with the nodes and options they answered."""
    nodes = run.version.script.nodes
    steps = []
    for row in run.steps:
        node = nodes[row.node_id]
        option = next((o for o in node.options if o.id == row.option_id), None)
        steps.append(TranscriptStep(row, node, option))
    return steps


def run_state(run: ScenarioRun) -> dict[str, Any]:
    """The run for its player; the result and the debrief only once it has ended."""
    scenario = run.version.script
    node = scenario.nodes[run.node_id]
    steps = transcript(run)
    body: dict[str, Any] = {
        "run_id": run.id,
        "scenario_id": run.scenario_id,
        "title": scenario.title,
        "brief": brief_json(scenario),
        "reply_seconds": scenario.reply_seconds,
        "state": run.state,
        "step": run.step,
        "node": node_json(node, run.mood),
        "mood": run.mood,
    }
    if not run.finished:
        return {**body, "transcript": [step.said() for step in steps]}
    return {
        **body,
        "outcome": run.outcome,
        "debrief": node.debrief,
        "score": run.score,
        "passed": run.passed,
        "provisional": run.state == RunState.PENDING_REVIEW,
        "dimensions": run.dimensions or {},
        "critical_mistakes": [
            {"step": step.row.step, "reason": step.row.critical} for step in steps
            if step.row.critical
        ],
        "transcript": [step.debrief() for step in steps],
    }
