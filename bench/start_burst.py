"""Exam start burst: 1,000 signed-in examinees press Start within 10 s, with draws prepared.

The minute an exam opens, everyone presses Start at once. Per engine (see `bench.engines`):
migrate, `demo load`, `bench seed`, the exam-day benchmark's 100-question rule-based exam
(`bench.exam_day`), API tokens issued beforehand (the examinees are signed in already), then
gunicorn (`servicecoach serve`'s cores+1 workers × 4 threads) driven by headless locust
(FastHttpUser, mode `start`: POST /api/v1/exams/<id>/attempts, nothing else):

* warm-up — 4 sign-ins and Starts per gunicorn thread (other accounts), as servers started
  before the exam opens would have served;
* live — BENCH_BURST examinees press Start within BENCH_START_SECONDS, nothing prepared: Start
  draws each paper (what the burst cost before `servicecoach exam prepare`);
* prepared — `servicecoach exam prepare` (timed), then BENCH_BURST other examinees press Start
  within BENCH_START_SECONDS: Start copies the prepared draw. The target: no error, p99 < 3 s.

`starts_from_prepared_draw` counts the prepared examinees whose draw Start used (it should be
all of them). BENCH_ROUNDS (3) rounds per engine; BENCH_BURST (1000), BENCH_START_SECONDS (10),
BENCH_WORKERS, BENCH_THREADS (4), BENCH_ENGINES (sqlite,postgresql).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.engines import each_engine, medians
from bench.exam_day import (
    PASSWORD,
    _create_exam,
    _locust,
    _prepare_examinees,
    _server,
    _servicecoach,
)
from training.cli import default_workers

TARGET_P99_MS = 3000


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _unused_draws(url: str, exam_id: int) -> int:
    """Prepared draws still waiting (a Start that used one made the attempt of its number)."""
    from sqlalchemy import create_engine, func

    from training.exams.attempts import usable_prepared_draws
    from training.exams.models import PreparedDraw

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(usable_prepared_draws(func.count(PreparedDraw.id))
                                  .where(PreparedDraw.exam_id == exam_id))
    engine.dispose()
    return count


def _figures(phase: str, stats: dict, burst: int) -> dict:
    start = stats.get("start", {})
    return {
        f"{phase}_starts": start.get("requests", 0),
        f"{phase}_errors": sum(s.get("errors", 0) for s in stats.values() if isinstance(s, dict)),
        f"{phase}_start_p50_ms": start.get("p50_ms"),
        f"{phase}_start_p95_ms": start.get("p95_ms"),
        f"{phase}_start_p99_ms": start.get("p99_ms"),
        f"{phase}_start_max_ms": start.get("max_ms"),
        f"{phase}_failures": stats.get("failures", []),
        f"{phase}_all_started": start.get("requests", 0) == burst,
    }


def _engine_run(url: str, folder: Path) -> dict:
    burst = int(_env("BENCH_BURST", "1000"))
    window = float(_env("BENCH_START_SECONDS", "10"))
    workers = int(_env("BENCH_WORKERS", str(default_workers())))
    threads = int(_env("BENCH_THREADS", "4"))
    warm_up = 4 * workers * threads
    _servicecoach(url, "db", "upgrade")
    _servicecoach(url, "demo", "load", "--password", PASSWORD)
    _servicecoach(url, "bench", "seed", "--employees", str(2 * burst + warm_up),
                  "--password", PASSWORD)
    exam_id = _create_exam(url)
    # Signed in beforehand: the prepared group is bench-00001…, the live group the next burst.
    prepared_tokens = _prepare_examinees(url, 1, burst, folder / "prepared-tokens.json")
    live_tokens = _prepare_examinees(url, burst + 1, burst, folder / "live-tokens.json")
    with _server(url, workers, threads) as host:
        _locust(host, "start", warm_up, warm_up / 20, 35, exam_id, folder,
                first_user=2 * burst + 1)
        live, _ = _locust(host, "start", burst, burst / window, int(window + 40), exam_id, folder,
                          first_user=burst + 1, prepared=live_tokens)
        began = time.monotonic()
        _servicecoach(url, "exam", "prepare", str(exam_id))
        prepare_seconds = time.monotonic() - began
        waiting = _unused_draws(url, exam_id)
        rush, _ = _locust(host, "start", burst, burst / window, int(window + 40), exam_id,
                          folder, first_user=1, prepared=prepared_tokens)
    found = {
        "burst_examinees": burst, "start_seconds": window, "workers": workers,
        "threads": threads,
        "prepare_seconds": round(prepare_seconds, 1),
        "prepared_draws": waiting,
        "starts_from_prepared_draw": waiting - _unused_draws(url, exam_id),
        **_figures("prepared", rush, burst),
        **_figures("live", live, burst),
    }
    found["target_met"] = (found["prepared_all_started"] and found["prepared_errors"] == 0
                           and (found["prepared_start_p99_ms"] or 1e9) < TARGET_P99_MS)
    return found


def run() -> dict:
    rounds = each_engine("start_burst", _engine_run, int(_env("BENCH_ROUNDS", "3")))
    return {engine: {**medians(found),
                     "rounds_meeting_target": sum(r["target_met"] for r in found)}
            for engine, found in rounds.items()}


def charts(figures: dict) -> dict[str, dict[str, dict[str, float]]]:
    """Start latency per engine, prepared beside live, against the 3 s p99 target."""
    return {"latency-ms": {
        f"{engine} (median of {run['rounds']})": {
            f"{phase} start {q}{' (target < 3000)' if (phase, q) == ('prepared', 'p99') else ''}":
                run["median"].get(f"{phase}_start_{q}_ms")
            for phase in ("prepared", "live") for q in ("p50", "p95", "p99")
        } for engine, run in figures.items()
    }}
