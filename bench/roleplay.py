"""Role-play: 300 employees playing the bundled scenarios at once through the JSON API.

For each engine (a SQLite file; PostgreSQL in a fresh schema when BENCH_DATABASE_URL or
TEST_DATABASE_URL is set): migrate, `demo load` (the bundled scenarios), `bench seed`, every
bundled scenario assigned to the seeded employees, an API token each (they are signed in
already). Then gunicorn with `servicecoach serve`'s settings (cores+1 workers × BENCH_THREADS
threads) and the ceiling endpoints on:

* paced — headless locust (`bench/roleplay_locust.py`): BENCH_EMPLOYEES (300) come in over
  BENCH_ENTRY_SECONDS (30) and play scenario after scenario as the chat page does (start, a
  reply per step — a random option offered, a typed reply, or "continue" —, the debrief read at
  the end) at one request about every BENCH_REPLY_INTERVAL (5) seconds each, several times
  brisker than someone reading a customer's line and answering it, for BENCH_PLAY_SECONDS (60):
  reply p50/p95/p99, start and debrief p95, errors with their messages;
* flat out — wrk (`bench/replies.lua`, compiled: a Python load generator on these two cores
  would measure itself), BENCH_CONNECTIONS (64) connections with no pause, over the same
  employees' runs of seven scenarios, each run's steps sent in order along a path worked out
  beforehand with the pure `play.advance`: replies/s — beside the ceiling endpoint, the two
  measured in the same round one after the other (the order turning each round) so a busy
  spell of this shared machine falls on both; BENCH_ROUNDS (6) rounds of BENCH_SECONDS (8),
  the ratio taken within its round, the medians reported with their spread.

The ceiling is `POST /api/v1/bench/ceiling/runs/{run_id}/steps` (`training.benchdata`): the
simplest program doing the work no reply can avoid — the product's request path with a Bearer
token, the caller's run read under a lock, one step row inserted, the run moved on, a repeated
step answered unchanged — over the eighth scenario's runs. Not the autosave's ceiling (one
upsert): a reply must read the run before it may write and leaves a row per step, so beside
one upsert the ratio would charge the role-play with work any design pays. Not a minimal Flask
app either: the request path (token, access rules, extensions) is the whole API's, measured
against one already by `bench.autosave`. So reply ÷ ceiling is what the role-play itself costs
on top: loading the scenario version, walking the graph, scoring an ending, the audit, the run
state with its transcript.

Lost replies: every reply acknowledged (200, paced and flat out, and every ceiling step) must
have its (run, step) row in `scenario_run_step` afterwards; `lost_replies` must be 0.
Parameters: BENCH_EMPLOYEES, BENCH_WORKERS (cores+1), BENCH_THREADS (4), BENCH_ENTRY_SECONDS,
BENCH_REPLY_INTERVAL, BENCH_PLAY_SECONDS, BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_ROUNDS,
BENCH_ENGINES (sqlite,postgresql).
"""

from __future__ import annotations

import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.engines import each_engine
from bench.exam_day import PASSWORD, _env, _prepare_examinees, _server, _servicecoach, run_locust
from bench.flat_out import run_wrk, wrk_figures
from training.cli import default_workers

LOCUSTFILE = Path(__file__).with_name("roleplay_locust.py")
LUA = Path(__file__).with_name("replies.lua")
REPLY_PATH = "/api/v1/runs/%d/replies"
CEILING_PATH = "/api/v1/bench/ceiling/runs/%d/steps"
WARM_UP_SECONDS = 3  # per flat-out target: every worker caches the tokens and the scenarios
SEPARATOR = "\x1f"  # between a run's replies in replies.lua's lines
# Typed replies of the flat-out paths (the paced employees type the locustfile's).
TYPED = ("非常抱歉给您添麻烦了，我理解您很着急。我现在就帮您查，今天下午五点前给您回电，由我负责跟进。",
         "好的，我知道了。")


@dataclass(frozen=True)
class Setup:
    """What the engine's database holds for the benchmark once prepared."""

    scenario_ids: tuple[int, ...]  # the bundled scenarios, by key; the last one is the ceiling's
    prepared: Path  # bench.exam_day's JSON: username → token


def _assign_bundled(url: str) -> tuple[int, ...]:
    """Every bundled scenario assigned to the seeded employees' department."""
    from sqlalchemy import select

    from training import create_app
    from training.benchdata.services import BENCH_DEPARTMENT
    from training.database import db
    from training.people.audience import Target
    from training.people.services import ensure_department
    from training.roleplay.models import Scenario
    from training.roleplay.services import assign_scenario

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), app.test_request_context():
        department = ensure_department(BENCH_DEPARTMENT)
        scenarios = list(db.session.scalars(select(Scenario).order_by(Scenario.key)))
        for scenario in scenarios:
            assign_scenario(scenario, [Target(department_id=department.id)], actor=None)
        db.session.commit()
        ids = tuple(scenario.id for scenario in scenarios)
        db.engine.dispose()
    return ids


def _set_up(url: str, employees: int, folder: Path) -> Setup:
    _servicecoach(url, "db", "upgrade")
    _servicecoach(url, "demo", "load", "--password", PASSWORD)
    _servicecoach(url, "bench", "seed", "--employees", str(employees), "--password", PASSWORD)
    scenario_ids = _assign_bundled(url)
    return Setup(scenario_ids, _prepare_examinees(url, 1, employees, folder / "tokens.json"))


def _fragment(said: dict[str, str]) -> str:
    """A reply's fields as they follow `"step": n` in its JSON body."""
    return ", " + json.dumps(said, ensure_ascii=False)[1:-1] if said else ""


def _replies_ahead(run) -> list[str]:  # noqa: ANN001 - a ScenarioRun
    """The run's replies from the step it awaits to an ending, chosen by its id and step so that
    runs take different branches (critical mistakes included), as body fragments."""
    from training.roleplay import play
    from training.roleplay.script import NodeKind

    scenario = run.version.script
    node_id, mood, step, ahead = run.node_id, run.mood, run.step, []
    while (node := scenario.nodes[node_id]).kind != NodeKind.END:
        said: dict[str, str] = {}
        if node.kind == NodeKind.DECISION:
            offered = play.offered(node, mood)
            said = {"option_id": offered[(run.id + step) % len(offered)].id}
        elif node.kind == NodeKind.FREE_TEXT:
            said = {"text": TYPED[(run.id + step) % len(TYPED)]}
        move = play.advance(scenario, node_id, mood, **said)
        ahead.append(_fragment(said))
        node_id, mood, step = move.next_node_id, move.mood_after, step + 1
    return ahead


def _prepare_runs(url: str, setup: Setup, target: str, path: Path) -> Path:
    """replies.lua's lines for `target`: every employee's open run of each scenario it plays
    (started where there is none), with the replies ahead (reply) or none (ceiling)."""
    from sqlalchemy import select

    from training import create_app
    from training.database import db
    from training.people.models import User
    from training.roleplay.models import RunState, Scenario, ScenarioRun
    from training.roleplay.runs import start_or_resume

    tokens = {name: found["token"] for name, found in json.loads(setup.prepared.read_text()).items()}
    ids = setup.scenario_ids[-1:] if target == "ceiling" else setup.scenario_ids[:-1]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    lines = []
    with app.app_context(), app.test_request_context():
        users = list(db.session.scalars(select(User).where(User.username.in_(tokens))))
        scenarios = list(db.session.scalars(select(Scenario).where(Scenario.id.in_(ids))))
        open_runs = {(r.user_id, r.scenario_id): r for r in db.session.scalars(
            select(ScenarioRun).where(ScenarioRun.scenario_id.in_(ids),
                                      ScenarioRun.state == RunState.IN_PROGRESS))}
        for user in users:
            for scenario in scenarios:
                run = open_runs.get((user.id, scenario.id)) or start_or_resume(user, scenario)
                db.session.flush()
                head = f"Bearer {tokens[user.username]}\t"
                if target == "ceiling":
                    lines.append(f"{head}{CEILING_PATH % run.id}\t{run.id}\t{run.step}\n")
                else:
                    lines.append(f"{head}{REPLY_PATH % run.id}\t{run.id}\t{run.step}\t"
                                 f"{SEPARATOR.join(_replies_ahead(run))}\n")
        db.session.commit()
        db.engine.dispose()
    path.write_text("".join(lines))
    return path


def _paced(host: str, setup: Setup, employees: int, folder: Path) -> tuple[dict, list]:
    """The locust phase: figures per request name, and the acknowledged (run, step) pairs."""
    entry = float(_env("BENCH_ENTRY_SECONDS", "30"))
    play_seconds = float(_env("BENCH_PLAY_SECONDS", "60"))
    acks = folder / "paced-acks.json"
    env = {"BENCH_PREPARED_FILE": str(setup.prepared), "BENCH_ACK_FILE": str(acks),
           "BENCH_SCENARIO_IDS": ",".join(map(str, setup.scenario_ids)),
           "BENCH_REPLY_INTERVAL": _env("BENCH_REPLY_INTERVAL", "5"),
           "BENCH_PLAY_SECONDS": str(entry + play_seconds)}
    stats = run_locust(LOCUSTFILE, host, employees, employees / entry,
                       int(entry + play_seconds + 15), env, folder / "paced")
    return stats, [tuple(ack) for ack in json.loads(acks.read_text())] if acks.exists() else []


def _flat_out(url: str, host: str, setup: Setup, folder: Path) -> tuple[list[dict], dict]:
    """BENCH_ROUNDS rounds of replies and ceiling steps flat out, after a warm-up of each;
    every round's figures with its ratio, and the acknowledged (run, step) pairs per target."""
    seconds, rounds = int(_env("BENCH_SECONDS", "8")), int(_env("BENCH_ROUNDS", "6"))
    connections = int(_env("BENCH_CONNECTIONS", "64"))
    acks: dict[str, list] = {"reply": [], "ceiling": []}
    runs = iter(range(1, 1_000_000))

    def measure(target: str, duration: int) -> dict:
        number = next(runs)
        lines = _prepare_runs(url, setup, target, folder / f"{target}-{number}.tsv")
        raw = run_wrk(host, LUA, target, {"BENCH_PREPARED": str(lines)}, duration,
                      folder / f"{target}-{number}.json", connections, threads=2)
        if raw["exhausted"]:
            raise RuntimeError(f"{target}: every run was waiting or ended {raw['exhausted']} "
                               "times; raise BENCH_EMPLOYEES")
        acks[target] += [tuple(int(n) for n in ack.split(":")) for ack in raw["acks"]]
        return wrk_figures(raw)

    for target in acks:
        measure(target, WARM_UP_SECONDS)
    per_round = []
    for number in range(rounds):
        order = list(acks) if number % 2 == 0 else list(acks)[::-1]
        found = {target: measure(target, seconds) for target in order}
        found["reply_to_ceiling"] = round(
            found["reply"]["per_second"] / found["ceiling"]["per_second"], 3)
        print(f"roleplay: round {number + 1}: reply {found['reply']['per_second']}/s, ceiling "
              f"{found['ceiling']['per_second']}/s", file=sys.stderr, flush=True)
        per_round.append(found)
    return per_round, acks


def lost_replies(url: str, acks: list[tuple[int, int]]) -> tuple[int, int]:
    """The acknowledged (run, step) pairs with no step row, and how many step rows there are."""
    from sqlalchemy import create_engine, select

    from training.roleplay.models import RunStep

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(RunStep.run_id, RunStep.step))
        stored = {(run_id, step) for run_id, step in rows}
    engine.dispose()
    return sum(1 for ack in set(acks) if ack not in stored), len(stored)


def _engine_run(url: str, folder: Path) -> dict:
    employees = int(_env("BENCH_EMPLOYEES", "300"))
    workers = int(_env("BENCH_WORKERS", str(default_workers())))
    threads = int(_env("BENCH_THREADS", "4"))
    setup = _set_up(url, employees, folder)
    with _server(url, workers, threads) as host:
        paced, paced_acks = _paced(host, setup, employees, folder)
        per_round, flat_acks = _flat_out(url, host, setup, folder)
    acks = {"paced": paced_acks, **flat_acks}
    lost = {name: lost_replies(url, acked)[0] for name, acked in acks.items()}
    return {
        "employees": employees, "workers": workers, "threads": threads,
        "scenarios": len(setup.scenario_ids),
        "reply_interval_seconds": float(_env("BENCH_REPLY_INTERVAL", "5")),
        "summary": _summary(paced, per_round, acks, lost)
        | {"step_rows": lost_replies(url, [])[1]},
        "paced": paced, "per_round": per_round,
    }


def _summary(paced: dict, per_round: list[dict], acks: dict[str, list],
             lost: dict[str, int]) -> dict:
    def median(pick) -> float:  # noqa: ANN001 - a small lambda
        return round(statistics.median(pick(r) for r in per_round), 3)

    reply = paced.get("reply", {})
    ratios = [r["reply_to_ceiling"] for r in per_round]
    return {
        "reply_p50_ms_at_pace": reply.get("p50_ms"),
        "reply_p95_ms_at_pace": reply.get("p95_ms"),
        "reply_p99_ms_at_pace": reply.get("p99_ms"),
        "replies_per_second_at_pace": reply.get("per_second"),
        "start_p95_ms_at_pace": paced.get("start", {}).get("p95_ms"),
        "debrief_p95_ms_at_pace": paced.get("run", {}).get("p95_ms"),
        "runs_finished_at_pace": paced.get("run", {}).get("requests", 0),
        "replies_per_second_flat_out": median(lambda r: r["reply"]["per_second"]),
        "ceiling_per_second": median(lambda r: r["ceiling"]["per_second"]),
        "reply_p95_ms_flat_out": median(lambda r: r["reply"]["p95_ms"]),
        "ceiling_p95_ms": median(lambda r: r["ceiling"]["p95_ms"]),
        "reply_to_ceiling": median(lambda r: r["reply_to_ceiling"]),
        "reply_to_ceiling_spread": [min(ratios), max(ratios)],
        "errors": sum(s.get("errors", 0) for s in paced.values() if isinstance(s, dict))
        + sum(r[t]["errors"] for r in per_round for t in ("reply", "ceiling")),
        "acknowledged_replies": {name: len(acked) for name, acked in acks.items()},
        "lost_replies": lost,
        "no_lost_reply": not any(lost.values()),
    }


def run() -> dict:
    """One run per engine; its BENCH_ROUNDS flat-out rounds happen inside, on the same server."""
    return {engine: found[0] for engine, found in each_engine("roleplay", _engine_run, 1).items()}


def charts(figures: dict) -> dict[str, dict[str, dict[str, float]]]:
    """Replies per second beside the ceiling, and the reply latencies, per engine."""
    return {
        "per-second": {engine: {
            "replies/s at pace": found["summary"]["replies_per_second_at_pace"],
            "replies/s flat out": found["summary"]["replies_per_second_flat_out"],
            "ceiling steps/s": found["summary"]["ceiling_per_second"],
        } for engine, found in figures.items()},
        "latency-ms": {engine: {
            "reply p95 at pace": found["summary"]["reply_p95_ms_at_pace"],
            "reply p99 at pace": found["summary"]["reply_p99_ms_at_pace"],
            "reply p95 flat out": found["summary"]["reply_p95_ms_flat_out"],
            "ceiling p95 flat out": found["summary"]["ceiling_p95_ms"],
        } for engine, found in figures.items()},
    }
