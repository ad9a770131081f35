"""The report benchmark's harness on a tiny data set: generation, targets, scan and requests fit.

Seconds, not minutes: whether the pieces work together (the dataset command's JSON, the report
views found in the URL map and answered by gunicorn, the yardstick scan, the ratios), not how
fast anything is.
"""

from __future__ import annotations

import os

import pytest

from bench import reports
from training.database import scratch_schema


@pytest.fixture
def bench_url(database_url, tmp_path):
    """A database of the session's engine that the benchmark migrates itself."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'bench.db'}"
        return
    with scratch_schema(os.environ["TEST_DATABASE_URL"], "sc_bench_test") as url:
        yield url


def test_a_tiny_round_generates_requests_every_report_and_compares_it_with_the_scan(
        bench_url, tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_REPORT_SIZE", "30,3,1500")
    monkeypatch.setenv("BENCH_REPORT_REQUESTS", "1")
    found = reports._engine_run(bench_url, tmp_path)
    assert (found["employees"], found["exams"]) == (30, 3)
    assert abs(found["answers"] - 1500) < 3 * 40
    assert found["generation_seconds"] >= 0 and found["database_megabytes"] >= 0
    assert found["scan_p50_ms"] > 0
    assert "/reports/" in found["reports"]
    answered = {name: figures for name, figures in found["reports"].items()
                if figures.get("status") != 302}  # /reports/me sends HR on to a profile
    assert all("p95_ms" in figures for figures in answered.values()), answered
    assert found["reports_measured"] == len(answered)
    assert "/api/v1/reports/exams/<int:exam_id>/items" in answered
    assert all(figures["ratio"] > 0 for figures in answered.values())
