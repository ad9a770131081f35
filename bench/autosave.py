"""Autosave flat out: the product's save beside a minimal Flask app, same gunicorn, same database.

For each engine (a SQLite file; PostgreSQL in a fresh schema when BENCH_DATABASE_URL or
TEST_DATABASE_URL is set): migrate, `demo load`, `bench seed`, the exam_day benchmark's
100-question exam, BENCH_EXAMINEES (200) attempts started and an API token each. Then three
targets, each hit by wrk (BENCH_CONNECTIONS 64 connections, 2 threads) for BENCH_SECONDS (8)
with no pause:

* save — `PUT /api/v1/attempts/{id}/answers/{qid}` with a Bearer token, the autosave itself;
* minimal — `bench/minimal_app.py` (its own gunicorn): a signed session cookie checked and one
  row upserted by primary key, about the least any Flask app can do per save;
* ceiling — the product's `PUT /api/v1/bench/ceiling` (one primary-key upsert after the
  product's whole request path: sign-in, access rules, extensions).

Both apps run under the same settings, BENCH_WORKERS (4) sync workers, and are measured in the
same round, one after the other (the order turns each round), so a busy spell of this shared
machine falls on both; BENCH_ROUNDS (6) short rounds rather than a few long ones, each ratio
taken within its round, and the medians reported (with the spread). Every acknowledged save of both apps is checked in the database afterwards.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
from pathlib import Path

from bench.engines import each_engine
from bench.exam_day import (
    PASSWORD,
    _create_exam,
    _env,
    _prepare_examinees,
    _servicecoach,
)
from bench.flat_out import Target, hammer, lost_saves, targets
from bench.servers import gunicorn

SEQ_STEP = 10_000_000  # each wrk run's seqs start above every earlier run's
WARM_UP_SECONDS = 8  # every worker imports its app and reads each token once (200 × 4)


def _start_attempts(url: str, count: int, exam_id: int) -> None:
    """bench-00001 … start the exam, as they would have pressed Start before saving."""
    from sqlalchemy import select

    from training import create_app
    from training.database import db
    from training.exams.attempts import start_or_resume
    from training.people.models import User

    names = [f"bench-{k:05d}" for k in range(1, count + 1)]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), app.test_request_context():
        for user in db.session.scalars(select(User).where(User.username.in_(names))).all():
            start_or_resume(user, exam_id)
            db.session.commit()
        db.engine.dispose()


def _engine_run(url: str, folder: Path) -> dict:
    examinees = int(_env("BENCH_EXAMINEES", "200"))
    workers = int(_env("BENCH_WORKERS", "4"))
    seconds = int(_env("BENCH_SECONDS", "8"))
    rounds = int(_env("BENCH_ROUNDS", "6"))
    connections = int(_env("BENCH_CONNECTIONS", "64"))
    _servicecoach(url, "db", "upgrade")
    _servicecoach(url, "demo", "load", "--password", PASSWORD)
    _servicecoach(url, "bench", "seed", "--employees", str(examinees), "--password", PASSWORD)
    exam_id = _create_exam(url)
    _start_attempts(url, examinees, exam_id)
    secret = secrets.token_hex(16)
    chosen = targets(url, _prepare_examinees(url, 1, examinees, folder / "prepared.json"), secret)
    product = {**os.environ, "DATABASE_URL": url, "SERVICECOACH_BENCHMARK_ENDPOINTS": "1"}
    yardstick = {**os.environ, "MINIMAL_DATABASE_URL": url, "MINIMAL_SECRET_KEY": secret}
    acks: dict[str, list] = {t.name: [] for t in chosen}
    per_round: list[dict] = []
    runs = iter(range(1, 1_000_000))
    with (gunicorn("training.wsgi:app", product, workers) as app_host,
          gunicorn("bench.minimal_app:create_app()", yardstick, workers) as minimal_host):
        hosts = {"save": app_host, "ceiling": app_host, "minimal": minimal_host}

        def measure(target: Target, duration: int) -> dict:
            figures, acked = hammer(hosts[target.name], target, duration, next(runs) * SEQ_STEP,
                                    folder, connections, threads=2)
            acks[target.name] += acked
            return figures

        for target in chosen:  # every worker imports its app, caches tokens and faces
            measure(target, WARM_UP_SECONDS)
        for number in range(rounds):
            order = chosen[number % 3:] + chosen[:number % 3]
            found = {t.name: measure(t, seconds) for t in order}
            print(f"autosave: round {number + 1}: " + ", ".join(
                f"{name} {f['per_second']}/s" for name, f in found.items()),
                file=sys.stderr, flush=True)
            per_round.append(found | _ratios(found))
    lost = {t.name: lost_saves(url, t.table, acks[t.name]) for t in chosen if t.table}
    return _summary(per_round, lost, acks) | {
        "examinees": examinees, "workers": workers, "worker_class": "sync",
        "connections": connections, "seconds_each": seconds, "rounds": rounds,
        "per_round": per_round,
    }


def _ratios(found: dict) -> dict:
    save = found["save"]["per_second"]
    return {"save_to_minimal": round(save / found["minimal"]["per_second"], 3),
            "save_to_ceiling": round(save / found["ceiling"]["per_second"], 3)}


def _summary(per_round: list[dict], lost: dict[str, int], acks: dict[str, list]) -> dict:
    def median(pick) -> float:  # noqa: ANN001 - a small lambda
        return round(statistics.median(pick(r) for r in per_round), 3)

    return {"summary": {
        **{f"{name}_per_second": median(lambda r, n=name: r[n]["per_second"])
           for name in ("save", "minimal", "ceiling")},
        **{f"{name}_p99_ms": median(lambda r, n=name: r[n]["p99_ms"])
           for name in ("save", "minimal", "ceiling")},
        "save_to_minimal": median(lambda r: r["save_to_minimal"]),
        "save_to_ceiling": median(lambda r: r["save_to_ceiling"]),
        **{f"{ratio}_spread": [min(r[ratio] for r in per_round), max(r[ratio] for r in per_round)]
           for ratio in ("save_to_minimal", "save_to_ceiling")},
        "errors": sum(r[n]["errors"] for r in per_round for n in ("save", "minimal", "ceiling")),
        "acknowledged_saves": {name: len(acked) for name, acked in acks.items() if name in lost},
        "lost_saves": lost,
        "target_save_at_least_half_the_minimal_app": median(
            lambda r: r["save_to_minimal"]) >= 0.5,
    }}


def run() -> dict:
    """One run per engine; its BENCH_ROUNDS rounds happen inside, against the same servers."""
    return {engine: found[0] for engine, found in each_engine("autosave", _engine_run, 1).items()}


def charts(figures: dict) -> dict[str, dict[str, dict[str, float]]]:
    """Requests per second of the three targets, and the ratios, per engine."""
    return {
        "per-second": {engine: {
            "autosave (Bearer)": found["summary"]["save_per_second"],
            "minimal Flask app": found["summary"]["minimal_per_second"],
            "in-app ceiling": found["summary"]["ceiling_per_second"],
        } for engine, found in figures.items()},
        "ratio": {engine: {
            "autosave ÷ minimal app (target ≥ 0.5)": found["summary"]["save_to_minimal"],
            "autosave ÷ in-app ceiling": found["summary"]["save_to_ceiling"],
        } for engine, found in figures.items()},
    }
