"""Reports over millions of answers: every report page and the API reports, each beside one plain
grouped scan of the answers table on the same database.

Per engine (see `bench.engines`): migrate, then `servicecoach bench dataset` (5,000 employees,
200 exams, 2,000,000 answers, seed 1: its generation time and the database's size are figures
too); PostgreSQL gets the ANALYZE its autovacuum would soon run. One gunicorn worker with one
thread serves; the data set's HR officer signs in and requests each report page — every GET
view of the reports blueprint found in the URL map, its path filled with the exam with the most
answers or that exam's most frequent examinee — and each `/api/v1/reports/…` view (Bearer
token), BENCH_REPORT_REQUESTS times (after one unmeasured), one request at a time, unfiltered
and filtered (one center's subtree over the last year), and the pages without a path
parameter also with that exam as their exam filter (`?exam=`: the exam report itself): p50
and p95.

The yardstick, timed as often on the same database from the bench process:
`SELECT question_id, count(*), sum(points_awarded) FROM answer GROUP BY question_id`, what the
database can do at all over the answers. Each report's `ratio` is its p95 over the scan's p50
(goal: under 5, and under 3 s).

BENCH_REPORT_SIZE: full (default), small (500 employees, 20 exams, 100,000 answers) or
"employees,exams,answers"; BENCH_REPORT_REQUESTS (5); BENCH_ROUNDS (1); BENCH_ENGINES.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

from bench.engines import each_engine, medians
from bench.exam_day import _server
from bench.pages import Browser

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"full": (5_000, 200, 2_000_000), "small": (500, 20, 100_000)}
SEED = 1
UNTIL = date(2026, 11, 30)
BUDGET_SECONDS = 3.0
RATIO_GOAL = 5.0
SLOW_SECONDS = 10.0
SCAN = "SELECT question_id, count(*), sum(points_awarded) FROM answer GROUP BY question_id"
# Views of the reports blueprint that are files or jobs, not pages.
NOT_PAGES = ("export", "job", "download")


def _size() -> tuple[int, int, int]:
    wanted = os.environ.get("BENCH_REPORT_SIZE") or "full"
    if wanted in SIZES:
        return SIZES[wanted]
    employees, exams, answers = (int(part) for part in wanted.split(","))
    return employees, exams, answers


def _dataset(url: str) -> dict:
    """Migrate and generate; the command's JSON (its `seconds` is the generation time)."""
    env = {**os.environ, "DATABASE_URL": url}
    command = str(Path(sys.executable).with_name("servicecoach"))
    subprocess.run([command, "db", "upgrade"], env=env, check=True, cwd=ROOT,
                   capture_output=True)
    employees, exams, answers = _size()
    done = subprocess.run(
        [command, "bench", "dataset", "--employees", str(employees), "--exams", str(exams),
         "--answers", str(answers), "--seed", str(SEED), "--until", UNTIL.isoformat(), "--json"],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    return json.loads(done.stdout)


def _targets(url: str) -> tuple[dict[str, str], dict[str, str], dict]:
    """The report pages and API reports to request ({name: path}), and what was chosen.

    Path parameters: `exam_id` the exam with the most answers, `user_id` its most frequent
    examinee; a view with any other parameter is listed as skipped.
    """
    from sqlalchemy import func, select, text

    from training import create_app
    from training.database import db
    from training.exams.models import Answer, Attempt

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        exam_id = db.session.scalar(
            select(Attempt.exam_id).join(Answer, Answer.attempt_id == Attempt.id)
            .group_by(Attempt.exam_id).order_by(func.count().desc(), Attempt.exam_id).limit(1))
        user_id = db.session.scalar(
            select(Attempt.user_id).where(Attempt.exam_id == exam_id)
            .group_by(Attempt.user_id).order_by(func.count().desc(), Attempt.user_id).limit(1))
        size = _database_size(url)
        rules = list(app.url_map.iter_rules())
        db.engine.dispose()
    values = {"exam_id": exam_id, "user_id": user_id}
    pages: dict[str, str] = {}
    api: dict[str, str] = {}
    skipped: list[str] = []
    for rule in sorted(rules, key=lambda r: r.rule):
        is_page = rule.endpoint.startswith("reports.") and not any(
            word in rule.endpoint for word in NOT_PAGES)
        is_api = rule.rule.startswith("/api/v1/reports/")
        if "GET" not in (rule.methods or ()) or not (is_page or is_api):
            continue
        if not set(rule.arguments) <= set(values):
            skipped.append(rule.rule)
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(values[name])).replace(
                f"<{name}>", str(values[name]))
        (api if is_api else pages)[rule.rule] = path
    return pages, api, {"exam_id": exam_id, "user_id": user_id, "skipped": skipped, **size}


def _database_size(url: str) -> dict:
    from sqlalchemy import text

    from training.database import db

    if url.startswith("sqlite"):
        return {"database_megabytes": round(Path(url.removeprefix("sqlite:///")).stat().st_size
                                            / 2**20)}
    total = db.session.scalar(text(
        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n"
        " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"))
    return {"database_megabytes": round(int(total) / 2**20)}


def _filtered(path: str) -> str:
    """The same report for one center's subtree over the last year."""
    query = urllib.parse.urlencode({
        "department": f"压测集团-{SEED}/热线服务中心",
        "from": (UNTIL - timedelta(days=365)).isoformat(), "to": UNTIL.isoformat()})
    return f"{path}{'&' if '?' in path else '?'}{query}"


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1)}


def _measure(send, path: str, requests: int) -> dict:
    """p50/p95 of `requests` sequential GETs after one unmeasured; the status if not 200.

    A report whose first answer took longer than SLOW_SECONDS is requested once more only: its
    verdict is plain, and the machine is shared."""
    samples: list[float] = []
    number = 0
    while number <= requests:
        began = time.perf_counter()
        status, _body = send(path)
        elapsed = (time.perf_counter() - began) * 1000
        if status != 200:
            return {"status": status}
        if number:
            samples.append(elapsed)
        elif elapsed > SLOW_SECONDS * 1000:
            number = requests - 1
        number += 1
    return _percentiles(samples)


def _scan(url: str, requests: int) -> dict:
    """The yardstick: the plain grouped scan, timed as the reports are (one unmeasured)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    samples = []
    with engine.connect() as connection:
        for number in range(1 + requests):
            began = time.perf_counter()
            connection.execute(text(SCAN)).all()
            if number:
                samples.append((time.perf_counter() - began) * 1000)
    engine.dispose()
    return _percentiles(samples)


class ApiClient:
    """A script holding a Bearer token, over one keep-alive connection."""

    def __init__(self, host: str, username: str, password: str) -> None:
        parsed = urllib.parse.urlsplit(host)
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        self.connection.request("POST", "/api/v1/login", json.dumps(
            {"username": username, "password": password}), {"Content-Type": "application/json"})
        response = self.connection.getresponse()
        body = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError(f"{username} could not sign in to the API ({response.status})")
        self.token = body["token"]

    def get(self, path: str) -> tuple[int, str]:
        self.connection.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})
        response = self.connection.getresponse()
        return response.status, response.read().decode()


def _engine_run(url: str, folder: Path) -> dict:
    from training.benchdata.dataset import PASSWORD, hr_username

    requests = int(os.environ.get("BENCH_REPORT_REQUESTS") or "5")
    load_before = os.getloadavg()[0]
    generated = _dataset(url)
    pages, api, chosen = _targets(url)
    scan = _scan(url, requests)
    reports: dict[str, dict] = {}
    with _server(url, 1, 1) as host:
        for targets, client in ((pages, Browser), (api, ApiClient)):
            for name, path in targets.items():
                variants = [(name, path), (f"{name} (filtered)", _filtered(path))]
                if client is Browser and "<" not in name:  # the page's exam filter, too
                    variants.append((f"{name}?exam", f"{path}?exam={chosen['exam_id']}"))
                for label, address in variants:
                    try:  # a fresh sign-in each: a timed-out connection is no use afterwards
                        reader = client(host, hr_username(SEED), PASSWORD)
                        reports[label] = _measure(reader.get, address, requests)
                    except OSError as error:  # e.g. the client's timeout: say so, go on
                        reports[label] = {"error": repr(error)}
    for figures in reports.values():
        if "p95_ms" in figures:
            figures["ratio"] = round(figures["p95_ms"] / scan["p50_ms"], 2)
    measured = [f for f in reports.values() if "p95_ms" in f]
    return {
        "employees": generated["employees"], "exams": len(generated["exam_ids"]),
        "answers": generated["answers"], "generation_seconds": generated["seconds"],
        **chosen, "scan_p50_ms": scan["p50_ms"], "scan_p95_ms": scan["p95_ms"],
        "reports": reports,
        "reports_measured": len(measured),
        "reports_within_3s": sum(1 for f in measured if f["p95_ms"] < BUDGET_SECONDS * 1000),
        "reports_within_5x": sum(1 for f in measured if f["ratio"] < RATIO_GOAL),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


def run() -> dict:
    rounds = each_engine("reports", _engine_run, int(os.environ.get("BENCH_ROUNDS") or "1"))
    return {engine: medians(found) | {"reports": found[-1]["reports"]}
            for engine, found in rounds.items()}


def charts(figures: dict) -> dict[str, dict[str, dict[str, float]]]:
    """p95 per report and engine, and each as a multiple of the plain scan."""
    def series(key: str) -> dict[str, dict[str, float]]:
        return {engine: {name: values[key] for name, values in run["reports"].items()
                         if key in values} for engine, run in figures.items()}

    return {"p95-ms": series("p95_ms"), "ratio-to-scan": series("ratio")}
