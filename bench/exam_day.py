"""Exam day: N examinees start one 100-question rule-based exam in a burst, save, and submit.

For each engine (a SQLite file; PostgreSQL in a fresh schema when BENCH_DATABASE_URL or
TEST_DATABASE_URL is set): migrate, `demo load`, `bench seed`, add a benchmark bank of generated
single-choice questions and a rule-based exam drawing 100 of them (the demo bank holds ~40),
start gunicorn with the ceiling endpoint on, and drive it with headless locust (the paced
phases) and wrk (the flat-out ones, `bench/flat_out.py`: a Python load generator on the same two
cores would measure itself):

* burst — BENCH_BURST examinees sign in and press Start within BENCH_RAMP_SECONDS (each saves
  one answer and leaves): starts, login/start latencies, errors;
* exam — BENCH_EXAMINEES of them sign in and resume those attempts over 30 s; then, all in,
  each saves BENCH_PACE_SAVES answers, one about every BENCH_SAVE_INTERVAL seconds, and
  submits: saves/s and save latency at a pace (one answer per 5 s each) several times
  brisker than a real exam's (the sign-in rush itself is the burst's to measure);
* saves — wrk, over as many other examinees' tokens and attempts prepared beforehand, saves with
  no pause (BENCH_CONNECTIONS, 64, connections): the autosave maximum;
* minimal — the same saves against `bench/minimal_app.py` (a signed cookie checked, one row
  upserted by primary key) under the same gunicorn settings and database: what any Flask app
  could do, so the autosave maximum reads as a ratio of it;
* ceiling — `PUT /api/v1/bench/ceiling` (one primary-key upsert behind the product's whole
  request path) with no pause: the in-app ceiling, the other ratio.

Before the burst, 4 sign-ins and starts per gunicorn thread (other accounts) warm the workers
up, as servers started before the exam opens would be. Afterwards every acknowledged save must
be in the database (`lost_saves` must be 0).

Each engine runs BENCH_ROUNDS times, each round on a fresh database: one run on a shared 2-core
machine varies too much to read alone. Per engine the JSON gives each figure's median and its
spread (min, max), how many rounds met each target, and every round in full.
Parameters: BENCH_BURST (1000), BENCH_EXAMINEES (300), BENCH_WORKERS (cores+1, as `servicecoach
serve`), BENCH_THREADS (4), BENCH_RAMP_SECONDS (60), BENCH_SAVE_INTERVAL (5), BENCH_PACE_SAVES (20),
BENCH_PHASE_SECONDS (20), BENCH_CONNECTIONS (64), BENCH_ROUNDS (3), BENCH_ENGINES
(sqlite,postgresql).
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import statistics
import subprocess
import sys
from pathlib import Path

from bench.engines import each_engine
from bench.flat_out import hammer, lost_saves, targets
from bench.servers import gunicorn
from training.cli import default_workers

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).with_name("exam_day_locust.py")
PASSWORD = "bench-pass-1"
QUESTIONS = 100
EXAM_TITLE = "压测考试（100题）"
ENTRY_SECONDS = 30  # the exam phase's examinees sign in and resume over this many seconds
BANK = "压测题库"
WARM_UP_SECONDS = 3  # per flat-out target: the minimal app imports, the tokens get cached


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _servicecoach(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    command = Path(sys.executable).with_name("servicecoach")
    subprocess.run([str(command), *args], env=env, check=True, cwd=ROOT, capture_output=True)


def _create_exam(url: str) -> int:
    """A bank of generated ready single-choice questions and a rule exam drawing 100."""
    from datetime import timedelta

    from question_bank.model import Option
    from question_bank.model import Question as PlainQuestion
    from training import create_app
    from training.bank.services import add_questions, ensure_bank
    from training.database import db, utcnow
    from training.exams.services import ExamSettings, assign_exam, create_exam
    from training.papers.services import SectionValues, add_section, create_paper
    from training.people.audience import targets as audience
    from training.people.services import ensure_department

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        bank = ensure_bank(BANK)
        add_questions(bank, [
            (PlainQuestion(type="single", stem=f"压测题{n}：客户第{n}次来电时首先应当？",
                           options=[Option(label, f"做法{label}{n}") for label in "ABCD"],
                           answer=["ABCD"[n % 4]]), None)
            for n in range(1, QUESTIONS + 21)
        ])
        paper = create_paper("压测试卷", "每次抽 100 道单选题。", "rules", bank, actor=None)
        add_section(paper, SectionValues(title="单项选择题", type="single", count=QUESTIONS,
                                         points_each=1.0), actor=None)
        now = utcnow()
        exam = create_exam(ExamSettings(
            paper_id=paper.id, title=EXAM_TITLE, kind="mock", opens_at=now - timedelta(minutes=5),
            closes_at=now + timedelta(days=1), time_limit_minutes=120, attempts_allowed=None,
        ), actor=None)
        db.session.flush()
        assign_exam(exam, audience([ensure_department("示范公司").id], [], []), actor=None)
        db.session.commit()
        exam_id = exam.id
        db.engine.dispose()
    return exam_id


def _server(url: str, workers: int, threads: int):
    """The product under gunicorn, the ceiling endpoint on. Keep-alive outlasts an examinee's
    pause between saves, as a load balancer's would (at gunicorn's 2 s a request could meet a
    connection the server was just closing)."""
    env = {**os.environ, "DATABASE_URL": url, "SERVICECOACH_BENCHMARK_ENDPOINTS": "1",
           "LOGIN_ATTEMPTS_PER_ADDRESS": "100000 per minute"}
    return gunicorn("training.wsgi:app", env, workers, threads)


def _flat_out(url: str, host: str, prepared: Path, seconds: int, workers: int, threads: int,
              folder: Path) -> dict:
    """The flat-out phases on wrk: the autosave, the minimal app (same gunicorn settings, same
    database) and the ceiling endpoint, each after a short warm-up."""
    secret = secrets.token_hex(16)
    chosen = targets(url, prepared, secret)
    connections = int(_env("BENCH_CONNECTIONS", "64"))
    env = {**os.environ, "MINIMAL_DATABASE_URL": url, "MINIMAL_SECRET_KEY": secret}
    figures: dict = {}
    acks: dict[str, list] = {t.name: [] for t in chosen}
    with gunicorn("bench.minimal_app:create_app()", env, workers, threads) as minimal_host:
        hosts = {"save": host, "minimal": minimal_host, "ceiling": host}
        # Above every seq the burst and exam phases sent; each run above the one before.
        for number, (target, duration) in enumerate(
                [(t, WARM_UP_SECONDS) for t in chosen] + [(t, seconds) for t in chosen], 1):
            figures[target.name], acked = hammer(hosts[target.name], target, duration,
                                                 number * 10_000_000, folder, connections, 2)
            acks[target.name] += acked
    return {"saves": figures["save"], "minimal": figures["minimal"],
            "ceiling": figures["ceiling"], "save_acks": acks["save"],
            "minimal_lost": lost_saves(url, "minimal_answer", acks["minimal"])}


def _locust(host: str, mode: str, users: int, rate: float, seconds: int, exam_id: int,
            folder: Path, first_user: int = 1, prepared: Path | None = None,
            pace: tuple[float, int] = (1.0, 0), saves_from: float = 0) -> tuple[dict, list]:
    """One headless locust run; per-endpoint figures, the failures seen, and the acked saves."""
    acks = folder / f"{mode}-acks.json"
    env = {"BENCH_MODE": mode, "BENCH_EXAM_ID": str(exam_id),
           "BENCH_PASSWORD": PASSWORD, "BENCH_ACK_FILE": str(acks),
           "BENCH_FIRST_USER": str(first_user), "BENCH_PREPARED_FILE": str(prepared or ""),
           "BENCH_SAVE_INTERVAL": str(pace[0]), "BENCH_PACE_SAVES": str(pace[1]),
           "BENCH_SAVES_FROM": str(saves_from)}
    stats = run_locust(LOCUSTFILE, host, users, rate, seconds, env, folder / mode)
    return stats, json.loads(acks.read_text()) if acks.exists() else []


def run_locust(locustfile: Path, host: str, users: int, rate: float, seconds: int,
               env: dict[str, str], prefix: Path) -> dict:
    """One headless locust run of `locustfile`: figures per request name, and `failures` (the
    errors seen, with their messages) when there were any."""
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "--host", host,
         "-u", str(users), "-r", str(rate), "--run-time", f"{seconds}s", "--csv", str(prefix),
         "--only-summary", "--stop-timeout", "30"],
        env={**os.environ, **env}, cwd=ROOT, check=False, capture_output=True,
    )
    stats: dict = {}
    with open(f"{prefix}_stats.csv", newline="") as table:
        for row in csv.DictReader(table):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "per_second": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]), "max_ms": round(float(row["Max Response Time"])),
            }
    with open(f"{prefix}_failures.csv", newline="") as table:
        failures = [{"endpoint": row["Name"], "error": row["Error"][:300],
                     "count": int(row["Occurrences"])} for row in csv.DictReader(table)]
    if failures:
        stats["failures"] = failures
    return stats


def _prepare_examinees(url: str, first_user: int, count: int, path: Path) -> Path:
    """For bench-<first_user>…: an API token, as the API's login issues it, and the open attempt
    with its question ids, written to `path` for the flat-out phases."""
    from sqlalchemy import select

    from training import create_app
    from training.api.tokens import issue_token
    from training.database import db
    from training.exams.models import Attempt, AttemptQuestion
    from training.people.models import User

    names = [f"bench-{k:05d}" for k in range(first_user, first_user + count)]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        users = list(db.session.scalars(select(User).where(User.username.in_(names))))
        attempts = dict(db.session.execute(
            select(Attempt.user_id, Attempt.id).where(
                Attempt.user_id.in_([u.id for u in users]), Attempt.submitted_at.is_(None))
        ).all())
        questions: dict[int, list[int]] = {attempt_id: [] for attempt_id in attempts.values()}
        for attempt_id, question_id in db.session.execute(
            select(AttemptQuestion.attempt_id, AttemptQuestion.question_id)
            .where(AttemptQuestion.attempt_id.in_(questions))
            .order_by(AttemptQuestion.attempt_id, AttemptQuestion.ordinal)
        ):
            questions[attempt_id].append(question_id)
        prepared = {
            user.username: {"token": issue_token(user)[0], "attempt_id": attempts.get(user.id),
                            "questions": questions.get(attempts.get(user.id), [])}
            for user in users
        }
        db.session.commit()
        db.engine.dispose()
    path.write_text(json.dumps(prepared))
    return path


def _busy_cpu_seconds() -> float:
    """CPU time every process on this machine has used so far (Linux /proc/stat): the burst's
    cost covers gunicorn, the database server and locust alike."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def _engine_run(url: str, folder: Path) -> dict:
    burst = int(_env("BENCH_BURST", "1000"))
    examinees = int(_env("BENCH_EXAMINEES", "300"))
    workers = int(_env("BENCH_WORKERS", str(default_workers())))
    threads = int(_env("BENCH_THREADS", "4"))
    ramp = float(_env("BENCH_RAMP_SECONDS", "60"))
    interval = float(_env("BENCH_SAVE_INTERVAL", "5"))
    pace_saves = int(_env("BENCH_PACE_SAVES", "20"))
    phase = int(_env("BENCH_PHASE_SECONDS", "20"))
    _servicecoach(url, "db", "upgrade")
    _servicecoach(url, "demo", "load", "--password", PASSWORD)
    warm_up = 4 * workers * threads
    first_warm_up = max(burst, 2 * examinees) + 1
    _servicecoach(url, "bench", "seed", "--employees", str(first_warm_up + warm_up),
                  "--password", PASSWORD)
    exam_id = _create_exam(url)
    with _server(url, workers, threads) as host:
        # The app servers are up before the exam opens: every worker has compiled its queries
        # once (other accounts), so the burst measures exam day, not the first request.
        _locust(host, "burst", warm_up, warm_up / 20, 35, exam_id, folder,
                first_user=first_warm_up)
        busy_before = _busy_cpu_seconds()
        rush, rush_acks = _locust(host, "burst", burst, burst / ramp, int(ramp + 60), exam_id,
                                  folder)
        burst_cpu = _busy_cpu_seconds() - busy_before
        exam, exam_acks = _locust(
            host, "exam", examinees, examinees / ENTRY_SECONDS,
            int(ENTRY_SECONDS + pace_saves * interval * 1.3 + 30), exam_id, folder,
            pace=(interval, pace_saves), saves_from=ENTRY_SECONDS + 5)
        # Other examinees than the exam phase's (whose attempts are submitted by now), with the
        # attempts the burst opened for them.
        flat = _prepare_examinees(url, examinees + 1, examinees, folder / "prepared.json")
        flat_out = _flat_out(url, host, flat, phase, workers, threads, folder)
    saves, minimal, ceiling = flat_out["saves"], flat_out["minimal"], flat_out["ceiling"]
    ceiling_rate, minimal_rate = ceiling["per_second"], minimal["per_second"]
    save_max = saves["per_second"]
    acks = rush_acks + exam_acks + flat_out["save_acks"]
    phases = (rush, exam)
    found = {
        "burst_examinees": burst, "examinees": examinees, "workers": workers, "threads": threads,
        "ramp_seconds": ramp, "save_interval_seconds": interval, "saves_at_pace": pace_saves,
        "summary": {
            "starts": rush.get("start", {}).get("requests", 0),
            "start_errors": rush.get("start", {}).get("errors", 0)
            + rush.get("login", {}).get("errors", 0),
            "start_p99_ms": rush.get("start", {}).get("p99_ms"),
            "login_p99_ms": rush.get("login", {}).get("p99_ms"),
            # What one examinee's sign-in, Start and first save cost the whole machine, and the
            # cores the burst would need to keep up with its ramp (this machine has `cores`).
            "burst_cpu_ms_per_examinee": round(burst_cpu / burst * 1000),
            "burst_cores_needed": round(burst_cpu / ramp, 2),
            "cores": os.cpu_count(),
            "save_p95_ms_at_pace": exam.get("save", {}).get("p95_ms"),
            "saves_per_second_at_pace": exam.get("save", {}).get("per_second"),
            "saves_per_second_flat_out": save_max,
            "ceiling_per_second": ceiling_rate,
            "minimal_app_per_second": minimal_rate,
            "autosave_to_ceiling": round(save_max / ceiling_rate, 2) if ceiling_rate else None,
            "autosave_to_minimal_app": round(save_max / minimal_rate, 2) if minimal_rate else None,
            "acknowledged_saves": len(acks),
            "lost_saves": lost_saves(url, "answer", acks) + flat_out["minimal_lost"],
            "errors": sum(s.get("errors", 0) for p in phases for s in p.values()
                          if isinstance(s, dict))
            + sum(f["errors"] for f in (saves, minimal, ceiling)),
        },
        "burst": rush, "exam": exam, "saves_flat_out": saves, "minimal_app": minimal,
        "ceiling": ceiling,
    }
    found["summary"]["targets_met"] = targets_met(found["summary"], burst)
    return found


def targets_met(summary: dict, burst: int) -> dict[str, bool]:
    """The issue's targets for a 2-core machine, checked against one round's summary."""
    def below(value: float | None, limit: float) -> bool:
        return value is not None and value < limit

    return {
        "every_start_without_error": summary["starts"] == burst and summary["start_errors"] == 0,
        "start_p99_under_2_s": below(summary["start_p99_ms"], 2000),
        "save_p95_at_pace_under_100_ms": below(summary["save_p95_ms_at_pace"], 100),
        "flat_out_at_least_half_the_ceiling": (summary["autosave_to_ceiling"] or 0) >= 0.5,
        "flat_out_at_least_half_the_minimal_app": (summary["autosave_to_minimal_app"] or 0) >= 0.5,
        "no_error_and_no_lost_save": summary["errors"] == 0 and summary["lost_saves"] == 0,
    }


def aggregate(rounds: list[dict]) -> dict:
    """Several rounds of one engine: each figure's median and spread, and the targets' tally.

    Medians are taken figure by figure, so the median start p99 and the median ratio may come
    from different rounds; `per_round` keeps every round whole.
    """
    summaries = [found["summary"] for found in rounds]
    figures = {key: [s[key] for s in summaries if _is_number(s.get(key))]
               for key in summaries[0] if any(_is_number(s.get(key)) for s in summaries)}
    tallies = {target: sum(s["targets_met"][target] for s in summaries)
               for target in summaries[0]["targets_met"]}
    return {
        **{key: rounds[0][key] for key in ("burst_examinees", "examinees", "workers", "threads",
                                           "ramp_seconds", "save_interval_seconds",
                                           "saves_at_pace")},
        "rounds": len(rounds),
        "summary": {**{key: round(statistics.median(values), 3) for key, values in figures.items()},
                    "rounds_meeting_every_target": sum(all(s["targets_met"].values())
                                                       for s in summaries),
                    "rounds_meeting_each_target": tallies},
        "spread": {key: [min(values), max(values)] for key, values in figures.items()},
        "per_round": rounds,
    }


def _is_number(value: object) -> bool:
    """A figure a round measured (None marks one it could not, such as a p99 with no start)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def run() -> dict:
    """BENCH_ROUNDS rounds (3) per engine, each on a fresh database, the engines taking turns so
    that a slow spell of this shared machine doesn't fall on one engine only."""
    rounds = each_engine("exam_day", _engine_run, int(_env("BENCH_ROUNDS", "3")))
    return {engine: aggregate(found) for engine, found in rounds.items()}


def charts(figures: dict) -> dict[str, dict[str, dict[str, float]]]:
    """Throughput and latency per engine, each beside its target."""
    summaries = {f"{engine} (median of {run['rounds']})": run["summary"]
                 for engine, run in figures.items()}
    return {
        "per-second": {engine: {
            "saves/s at exam pace": s.get("saves_per_second_at_pace"),
            "saves/s flat out": s.get("saves_per_second_flat_out"),
            "ceiling upserts/s": s.get("ceiling_per_second"),
            "minimal app saves/s": s.get("minimal_app_per_second"),
        } for engine, s in summaries.items()},
        "latency-ms": {engine: {
            "start p99 (target < 2000)": s.get("start_p99_ms"),
            "login p99": s.get("login_p99_ms"),
            "save p95 at pace (target < 100)": s.get("save_p95_ms_at_pace"),
        } for engine, s in summaries.items()},
    }
