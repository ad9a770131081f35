"""The certification benchmark seeds, evaluates everyone and evaluates again changing nothing —
with a few employees: whether the pieces fit, not how fast anything is."""

from __future__ import annotations

import os

import pytest

from bench import certification
from training.database import scratch_schema


@pytest.fixture
def bench_url(database_url, tmp_path):
    """A database of the session's engine that the benchmark migrates itself."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'bench.db'}"
        return
    with scratch_schema(os.environ["TEST_DATABASE_URL"], "sc_bench_test") as url:
        yield url


def test_a_small_round_certifies_some_and_the_second_run_changes_nothing(bench_url, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv("BENCH_CERT_EMPLOYEES", "40")
    found = certification._engine_run(bench_url, tmp_path)
    assert found["employees"] == 40 and found["levels"] == 3
    assert 0 < found["certified"] <= found["first_changes"]
    assert found["second_changes"] == 0
