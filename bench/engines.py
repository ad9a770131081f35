"""Running one benchmark round per engine, several times, and reading the rounds as medians.

A single run on a shared 2-core machine varies too much to read alone: each engine runs
BENCH_ROUNDS times on a fresh database (a SQLite file; PostgreSQL in a scratch schema when
BENCH_DATABASE_URL or TEST_DATABASE_URL is set), the engines taking turns so that a slow spell
of the machine doesn't fall on one engine only.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from training.database import scratch_schema

EngineRun = Callable[[str, Path], dict]  # (database URL, scratch folder) → one round's figures


def each_engine(name: str, engine_run: EngineRun, rounds: int) -> dict[str, list[dict]]:
    """Every round's figures per engine (BENCH_ENGINES, default sqlite,postgresql)."""
    engines = (os.environ.get("BENCH_ENGINES") or "sqlite,postgresql").split(",")
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not base:
        engines = [engine for engine in engines if engine != "postgresql"]
    found: dict[str, list[dict]] = {engine: [] for engine in engines}
    with tempfile.TemporaryDirectory() as folder:
        for number in range(1, rounds + 1):
            for engine in engines:
                work = Path(folder) / f"{engine}-{number}"
                work.mkdir()
                print(f"{name}: {engine}, round {number}", file=sys.stderr, flush=True)
                if engine == "sqlite":
                    found[engine].append(engine_run(f"sqlite:///{work / 'bench.db'}", work))
                    continue
                with scratch_schema(base, "sc_bench") as url:
                    found[engine].append(engine_run(url, work))
    return found


def medians(rounds: list[dict]) -> dict:
    """Each numeric figure's median over the rounds, its spread (min, max), and the rounds."""
    figures = {key: [r[key] for r in rounds if _is_number(r.get(key))] for key in rounds[0]}
    figures = {key: values for key, values in figures.items() if values}
    return {
        "rounds": len(rounds),
        "median": {key: round(statistics.median(values), 3) for key, values in figures.items()},
        "spread": {key: [min(values), max(values)] for key, values in figures.items()},
        "per_round": rounds,
    }


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
