"""Scenarios saved to the database from the core tests' sample, and runs played on them.

The sample's good path: 1 c1 (continue) · 2 d1 a · 3 c2 (continue) · 4 f1 typed · 5 d3 a → e1.
Its critical path: 1 c1 · 2 d1 c (reads the ID number aloud) · 3 c3 · 4 d2 b → e3 (lost).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml

from tests.roleplay.sample import TEXT
from training.database import db
from training.people.audience import targets
from training.roleplay.models import Scenario, ScenarioRun
from training.roleplay.runs import reply
from training.roleplay.services import assign_scenario, save

GOOD_TYPED = "非常抱歉，我现在就联系城东支行，今天下午五点前给您回电，由我负责跟进。"
GOOD_PATH: list[dict[str, Any]] = [
    {}, {"option_id": "a"}, {}, {"text": GOOD_TYPED}, {"option_id": "a"},
]
CRITICAL_PATH: list[dict[str, Any]] = [{}, {"option_id": "c"}, {}, {"option_id": "b"}]
# Scoring data of the sample that must not reach a player before the run ends.
SECRETS = ("先致歉并复述需求", "推诿，把问题推给制度", "今天下午五点前给您回电", "泄露隐私",
           "你先致歉、复述需求")


def sample_text(changed: dict[str, Any] | None = None) -> str:
    return TEXT if changed is None else yaml.safe_dump(changed, allow_unicode=True, sort_keys=False)


def saved_scenario(changed: dict[str, Any] | None = None, **fields: Any) -> Scenario:
    """The sample saved (or saved again, changed), committed."""
    version = save(sample_text(changed), actor=None)
    for name, value in fields.items():
        setattr(version.scenario, name, value)
    db.session.commit()
    return version.scenario


def assign(scenario: Scenario, *users: Any, due_at: datetime | None = None,
           now: datetime | None = None) -> None:
    """Assign the scenario to these users by name (`now`: when, for a due date since passed)."""
    assign_scenario(scenario, targets([], [], [u.id for u in users]), due_at, actor=None, now=now)
    db.session.commit()


def play(run: ScenarioRun, path: list[dict[str, Any]]) -> ScenarioRun:
    """Answer the run's steps along a path, from the step it awaits."""
    for replying in path[run.step - 1:]:
        run = reply(run, run.step, **replying)
    db.session.commit()
    return run
