"""The role-play benchmark sets up, plays and measures one short round, losing no reply.

A few employees, a few seconds: whether the pieces fit (seeding, the paths worked out for wrk,
replies.lua following each run step by step, the ceiling endpoint, the lost-reply check), not
how fast anything is.
"""

from __future__ import annotations

import shutil

import pytest

from bench import roleplay

SHORT = {"BENCH_EMPLOYEES": "20", "BENCH_WORKERS": "1", "BENCH_THREADS": "2",
         "BENCH_ENTRY_SECONDS": "1", "BENCH_REPLY_INTERVAL": "0.2", "BENCH_PLAY_SECONDS": "6",
         "BENCH_CONNECTIONS": "2", "BENCH_SECONDS": "1", "BENCH_ROUNDS": "1"}


@pytest.fixture
def bench_url(database_url, tmp_path):
    """A SQLite database that the benchmark migrates itself.

    SQLite only: the harness is the same code on both engines (`bench.engines` hands it a
    URL), and a round costs over a minute per engine (migrating, the demo content, gunicorn,
    locust and wrk), which the PostgreSQL run would add to every CI run without testing
    anything the SQLite run does not. `make bench` runs it on PostgreSQL for real.
    """
    if not database_url.startswith("sqlite"):
        pytest.skip("the benchmark's smoke test runs on SQLite only (the harness is the same)")
    return f"sqlite:///{tmp_path / 'bench.db'}"


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
