"""The role-play benchmark sets up, plays and measures one short round, losing no reply.

A few employees, a few seconds: whether the pieces fit (seeding, the paths worked out for wrk,
replies.lua following each run step by step, the ceiling endpoint, the lost-reply check), not
how fast anything is.
"""

from __future__ import annotations

import os
import shutil

import pytest

from bench import roleplay
from training.database import scratch_schema

SHORT = {"BENCH_EMPLOYEES": "20", "BENCH_WORKERS": "1", "BENCH_THREADS": "2",
         "BENCH_ENTRY_SECONDS": "1", "BENCH_REPLY_INTERVAL": "0.2", "BENCH_PLAY_SECONDS": "6",
         "BENCH_CONNECTIONS": "2", "BENCH_SECONDS": "1", "BENCH_ROUNDS": "1"}


@pytest.fixture
def bench_url(database_url, tmp_path):
    """A database of the session's engine that the benchmark migrates itself."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'bench.db'}"
        return
    with scratch_schema(os.environ["TEST_DATABASE_URL"], "sc_bench_test") as url:
        yield url


@pytest.mark.skipif(shutil.which("wrk") is None, reason="the flat-out phase needs wrk")
def test_one_short_round_plays_replies_and_loses_none(bench_url, tmp_path, monkeypatch):
    for name, value in SHORT.items():
        monkeypatch.setenv(name, value)
    found = roleplay._engine_run(bench_url, tmp_path)
    summary = found["summary"]
    assert found["scenarios"] == 8
    assert summary["errors"] == 0, found
    assert summary["runs_finished_at_pace"] > 0, found["paced"]
    assert all(summary["acknowledged_replies"][t] > 0 for t in ("paced", "reply", "ceiling"))
    assert summary["lost_replies"] == {"paced": 0, "reply": 0, "ceiling": 0}
    assert summary["step_rows"] >= sum(summary["acknowledged_replies"].values())
    assert summary["reply_to_ceiling"] > 0
