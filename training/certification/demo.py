"""The demo's certification levels (training/data/certification/levels.yaml) and a history."""

from __future__ import annotations

from training.demo.loader import DemoReport


def load_demo_certification(report: DemoReport) -> None:
    """Import the bundled levels once and evaluate everyone."""
