"""The debrief of a finished run, as its page shows it, and the clock of the chat page.

The steps, points, feedback and model replies come from `serialise.transcript` (the same
allow-listed reading the API gives once a run has ended); this adds the manual articles behind
each step, resolved to the library's current edition, and the ending the run reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from training.manuals.articles import Article, articles_by_reference
from training.roleplay.models import RunState, ScenarioRun
from training.roleplay.script import Node, NodeKind, Scenario
from training.roleplay.serialise import TranscriptStep, transcript


@dataclass(frozen=True)
class Debrief:
    run: ScenarioRun
    scenario: Scenario
    steps: list[TranscriptStep]
    ending: Node | None
    articles: dict[str, Article]  # every `slug#anchor` the scenario names that the library has

    @property
    def provisional(self) -> bool:
        return self.run.state == RunState.PENDING_REVIEW

    @property
    def critical_steps(self) -> list[TranscriptStep]:
        return [step for step in self.steps if step.row.critical]

    def articles_of(self, refs: tuple[str, ...]) -> list[Article]:
        return [self.articles[ref] for ref in refs if ref in self.articles]


def debrief(run: ScenarioRun) -> Debrief:
    """The finished run, step by step (the caller sees to it that it has ended)."""
    scenario = run.version.script
    refs = [*scenario.articles, *(ref for node in scenario.nodes.values() for ref in node.articles)]
    ending = scenario.nodes.get(run.node_id)
    return Debrief(
        run, scenario, transcript(run),
        ending if ending is not None and ending.kind == NodeKind.END else None,
        articles_by_reference(refs),
    )


def step_started_at(run: ScenarioRun) -> datetime:
    """When the awaited step was put to the employee: the per-reply countdown runs from here."""
    return run.steps[-1].answered_at if run.steps else run.started_at

