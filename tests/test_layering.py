"""The layering in pyproject.toml holds: a feature that imports one above it fails the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)}, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
