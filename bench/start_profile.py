"""One prepared Start, in process: the statements it issues and how long it holds the write lock.

The start burst (`bench.start_burst`) measures from outside; this says where a Start's time
goes. On a fresh database (a SQLite file, or PostgreSQL in a scratch schema with
BENCH_DATABASE_URL / TEST_DATABASE_URL and BENCH_ENGINES=postgresql): the exam-day exam,
`exam prepare`, then BENCH_STARTS (50) examinees press Start through the Flask test client
(`POST /api/v1/exams/<id>/attempts`, Bearer token), each counted: statements, statements that
write, wall time, and the time from the first write to the call of COMMIT (SQLite's write lock,
less the commit's own disk flush). Times move with the machine's load; the statements do not.
`BENCH_PROFILE=1` prints a pyinstrument profile of the lot.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event

from bench.engines import each_engine
from bench.exam_day import PASSWORD, _create_exam, _prepare_examinees, _servicecoach

WRITES = ("INSERT", "UPDATE", "DELETE")


class Counter:
    """Statements and the write-lock span of the request in flight, from engine events."""

    def __init__(self) -> None:
        self._began = 0.0
        self.reset()

    def reset(self) -> None:
        self.statements: list[str] = []
        self.durations: list[float] = []
        self.first_write: float | None = None
        self.lock_seconds = 0.0

    def executed(self, _conn, _cursor, statement: str, *_args) -> None:
        self.statements.append(statement)
        self._began = time.perf_counter()
        if self.first_write is None and statement.lstrip().upper().startswith(WRITES):
            self.first_write = time.perf_counter()

    def done(self, *_args) -> None:
        self.durations.append(time.perf_counter() - self._began)

    def committed(self, _conn) -> None:
        if self.first_write is not None:
            self.lock_seconds += time.perf_counter() - self.first_write
            self.first_write = None


def _measure(url: str, folder: Path) -> dict:
    from training import create_app
    from training.database import db

    starts = int(os.environ.get("BENCH_STARTS") or "50")
    _servicecoach(url, "db", "upgrade")
    _servicecoach(url, "demo", "load", "--password", PASSWORD)
    _servicecoach(url, "bench", "seed", "--employees", str(starts + 1), "--password", PASSWORD)
    exam_id = _create_exam(url)
    tokens = json.loads(_prepare_examinees(url, 1, starts + 1, folder / "tokens.json")
                        .read_text())
    _servicecoach(url, "exam", "prepare", str(exam_id))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    counter = Counter()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counter.executed)
        event.listen(db.engine, "after_cursor_execute", counter.done)
        event.listen(db.engine, "commit", counter.committed)
    client = app.test_client()
    path = f"/api/v1/exams/{exam_id}/attempts"
    heads = [{"Authorization": f"Bearer {t['token']}"} for t in tokens.values()]
    client.post(path, json={}, headers=heads.pop())  # compiles the statements once
    rows, example = [], []
    profiler = _profiler()
    for head in heads:
        counter.reset()
        began = time.perf_counter()
        response = client.post(path, json={}, headers=head)
        wall = time.perf_counter() - began
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        rows.append((len(counter.statements),
                     sum(s.lstrip().upper().startswith(WRITES) for s in counter.statements),
                     wall, counter.lock_seconds))
        example = list(zip(counter.statements, counter.durations, strict=True))
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False), file=sys.stderr)
    for statement, seconds in example:
        print(f"  {1000 * seconds:6.2f} ms", " ".join(statement.split())[:140], file=sys.stderr)
    with app.app_context():
        db.engine.dispose()
    return {
        "starts": len(rows),
        "statements_per_start": statistics.median(r[0] for r in rows),
        "writes_per_start": statistics.median(r[1] for r in rows),
        "start_ms_median": round(1000 * statistics.median(r[2] for r in rows), 2),
        "write_lock_ms_median": round(1000 * statistics.median(r[3] for r in rows), 2),
    }


def _profiler():
    if not os.environ.get("BENCH_PROFILE"):
        return None
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    return profiler


def main() -> None:
    found = each_engine("start_profile", _measure, 1)
    print(json.dumps({engine: rounds[0] for engine, rounds in found.items()}, indent=2))


if __name__ == "__main__":
    main()
