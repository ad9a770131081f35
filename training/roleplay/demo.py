"""The bundled role-play scenarios (training/data/scenarios/*.yaml), two assigned to the demo
employee with a due date two weeks out.

Each file is saved under its file name stem as key, once: a scenario with that key is left
alone, so running `servicecoach demo load` again never makes new versions or resets a
trainer's edits.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from training.database import db, utcnow
from training.demo.loader import DemoReport
from training.people.audience import targets
from training.people.services import find_user
from training.roleplay.models import Scenario
from training.roleplay.services import assign_scenario, save

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "scenarios"
DEMO_EMPLOYEE = "demo-employee"
# The bank-counter case the seeds teach with, and a late delivery: one counter, one phone call.
ASSIGNED = ("bank-ebanking-card", "late-delivery")
DUE_IN = timedelta(days=14)


def bundled_files() -> list[Path]:
    return sorted(BUNDLED.glob("*.yaml"))


def load_demo_scenarios(report: DemoReport) -> None:
    """Install every bundled scenario once, then assign the two demo ones."""
    for path in bundled_files():
        if db.session.scalar(select(Scenario.id).filter_by(key=path.stem)):
            report.lines.append(f"情景演练「{path.stem}」已存在，未重复导入")
            continue
        version = save(path.read_text(encoding="utf-8"), actor=None, key=path.stem)
        report.lines.append(f"情景演练「{version.scenario.title}」已导入")
    _assign_to_demo_employee(report)


def _assign_to_demo_employee(report: DemoReport) -> None:
    employee = find_user(DEMO_EMPLOYEE)
    due_at = utcnow().replace(second=0, microsecond=0) + DUE_IN
    for key in ASSIGNED:
        scenario = db.session.scalar(select(Scenario).filter_by(key=key))
        if scenario is None or employee is None:
            report.lines.append(f"未找到情景演练「{key}」，未分配")
            continue
        if scenario.assignments:
            continue
        assign_scenario(scenario, targets([], [], [employee.id]), due_at, actor=None)
        report.lines.append(f"情景演练「{scenario.title}」已分配给 {employee.display_name}")
