"""`servicecoach demo load`: every feature's demo content, in dependency order, idempotently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from training.database import transaction
from training.demo.people import DemoLogin, ensure_demo_people


@dataclass
class DemoReport:
    logins: list[DemoLogin] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


# Features append (name, step) pairs; each step receives the report and must be idempotent.
DEMO_STEPS: list[tuple[str, Callable[[DemoReport], None]]] = []


def load_demo(
    password: str | None, progress: Callable[[str], None] = lambda _msg: None
) -> DemoReport:
    """Load the demo company and every registered content step in one transaction."""
    report = DemoReport()
    with transaction():
        progress("demo accounts")
        report.logins = ensure_demo_people(password)
        for name, step in DEMO_STEPS:
            progress(name)
            step(report)
    return report
