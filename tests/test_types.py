"""The type checker passes on the question bank and every feature's services (config in
pyproject.toml, `[tool.mypy]`): a wrong type there fails the suite, not a user's request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_passes_on_question_bank_and_services():
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)}, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
