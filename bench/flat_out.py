"""Flat-out saves driven by wrk (compiled, so the load generator is not the ceiling it measures).

`bench.autosave` and `bench.exam_day` use `hammer` for the product's autosave, its ceiling
endpoint and the minimal app (`bench.minimal_app`); `run_wrk` and `wrk_figures` serve any wrk
script (`bench.roleplay` drives `replies.lua` with them). `saves.lua` makes every request a real save with a rising,
unique seq, and hands back the seqs acknowledged; each decodes to its attempt and question, so
the database can be checked afterwards for every acknowledged save (`lost_saves`).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

LUA = Path(__file__).with_name("saves.lua")
SAVE_PATH = "/api/v1/attempts/%s/answers/%s"
CEILING_PATH = "/api/v1/bench/ceiling"
MINIMAL_PATH = "/answers/%s/%s"
ERROR_KINDS = ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")


@dataclass(frozen=True)
class Examinee:
    auth: str  # the value of the target's auth header (`Bearer …`, or a session cookie)
    attempt_id: int
    questions: tuple[int, ...]


@dataclass(frozen=True)
class Target:
    name: str
    path: str  # with %s for the attempt and the question id (ignored when absent)
    header: str  # Authorization or Cookie
    examinees: tuple[Examinee, ...]
    table: str | None = None  # where its saves are stored; None: not a save (the ceiling)


def targets(url: str, prepared: Path, secret: str) -> list[Target]:
    """The autosave, the minimal app and the ceiling over the same prepared examinees
    (`bench.exam_day._prepare_examinees`); the minimal app's table is created on the way."""
    from bench import minimal_app

    rows = [p for p in json.loads(prepared.read_text()).values() if p["attempt_id"]]
    yardstick = minimal_app.create_app(url, secret)
    minimal_app.metadata.create_all(minimal_app.engine_for(url))
    bearer = tuple(Examinee(f"Bearer {p['token']}", p["attempt_id"], tuple(p["questions"]))
                   for p in rows)
    cookie = tuple(Examinee(minimal_app.session_cookie(yardstick, n), p["attempt_id"],
                            tuple(p["questions"])) for n, p in enumerate(rows, 1))
    return [Target("save", SAVE_PATH, "Authorization", bearer, table="answer"),
            Target("minimal", MINIMAL_PATH, "Cookie", cookie, table="minimal_answer"),
            Target("ceiling", CEILING_PATH, "Authorization", bearer)]


def hammer(host: str, target: Target, seconds: int, seq_base: int, folder: Path,
           connections: int, threads: int) -> tuple[dict, list[tuple[int, int, int]]]:
    """One wrk run: requests/s, latency percentiles, errors, and the acknowledged saves as
    (attempt, question, seq). Raises when nothing at all was answered."""
    prepared = folder / f"{target.name}.tsv"
    prepared.write_text("".join(
        f"{e.auth}\t{e.attempt_id}\t{','.join(map(str, e.questions))}\n" for e in target.examinees
    ))
    raw = run_wrk(host, LUA, target.name, {
        "BENCH_PREPARED": str(prepared), "BENCH_SEQ_BASE": str(seq_base),
        "BENCH_PATH": target.path, "BENCH_AUTH_HEADER": target.header,
    }, seconds, folder / f"{target.name}-{seq_base}.json", connections, threads)
    acks = [decode(target.examinees, threads, seq_base, int(seq)) for seq in raw["acks"]]
    return wrk_figures(raw), acks


def run_wrk(host: str, script: Path, name: str, env: dict[str, str], seconds: int, out: Path,
            connections: int, threads: int) -> dict:
    """Run wrk with a Lua script that writes its figures to BENCH_WRK_OUT (the `done` of
    `saves.lua`, `replies.lua`); return them. Raises when nothing at all was answered."""
    env = {**os.environ, **env, "BENCH_WRK_THREADS": str(threads), "BENCH_WRK_OUT": str(out)}
    subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout",
         "10s", "-s", str(script), host],
        env=env, check=True, capture_output=True,
    )
    raw = json.loads(out.read_text())
    if raw["requests"] == 0 or _errors(raw) == raw["requests"]:
        raise RuntimeError(f"wrk got no answer from {host} ({name}): {raw | {'acks': []}}")
    return raw


def wrk_figures(raw: dict) -> dict:
    """Requests/s, errors by kind and latency percentiles of one wrk run."""
    return {
        "requests": raw["requests"],
        "per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "errors": _errors(raw),
        "error_kinds": {k: raw[k] for k in ERROR_KINDS if raw[k]},
        **{f"p{p}_ms": round(raw[f"p{p}_us"] / 1000, 1) for p in (50, 95, 99)},
        "max_ms": round(raw["max_us"] / 1000, 1),
    }


def _errors(raw: dict) -> int:
    return sum(raw[k] for k in ERROR_KINDS)


def decode(examinees: tuple[Examinee, ...], threads: int, seq_base: int,
           seq: int) -> tuple[int, int, int]:
    """The (attempt, question, seq) of the save `saves.lua` sent with this seq."""
    number = seq - seq_base - 1
    mine = examinees[number % threads::threads]
    sent = number // threads
    examinee = mine[sent % len(mine)]
    return (examinee.attempt_id,
            examinee.questions[(sent // len(mine)) % len(examinee.questions)], seq)


def lost_saves(url: str, table: str, acks: list[tuple[int, int, int]]) -> int:
    """Acknowledged saves whose answer is not stored with at least that seq."""
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = {(a, q): s for a, q, s in connection.execute(
            text(f"SELECT attempt_id, question_id, seq FROM {table}"))}  # noqa: S608 - our names
    engine.dispose()
    return sum(1 for a, q, s in acks if stored.get((a, q), 0) < s)
