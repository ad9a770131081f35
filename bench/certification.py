"""Certification evaluation speed: `servicecoach cert evaluate` over 5,000 employees and 3 levels.

Each round seeds a fresh database (SQLite file; PostgreSQL scratch schema when
BENCH_DATABASE_URL or TEST_DATABASE_URL is set) in bulk: BENCH_CERT_EMPLOYEES employees (5,000)
in one department with hire dates spread over three years, two exams with one or two graded
attempts each, two courses assigned to the department and completed by most, and three levels
saved through the service (初级: exam + course; 中级: 初级 + a higher mark + tenure; 高级:
中级 + either a top mark or the second course in time). Then the command as cron runs it, in
process: the full evaluation (thousands of awards), and again (nothing changes: the nightly run's
usual cost). BENCH_ROUNDS (3) rounds per engine, medians reported with their spread.
"""

from __future__ import annotations

import json
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

from bench.engines import each_engine, medians

EMPLOYEES = 5_000
BATCH = 1_000
DEPARTMENT = "基准公司/认证压测"


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _engine_run(url: str, _folder: Path) -> dict:
    from flask_migrate import upgrade

    from training import create_app
    from training.database import db

    employees = int(_env("BENCH_CERT_EMPLOYEES", str(EMPLOYEES)))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), app.test_request_context():
        upgrade()
        seed_seconds = _timed(lambda: _seed(employees))
        first, first_seconds = _evaluate(app)
        second, second_seconds = _evaluate(app)
        figures = {
            "employees": employees, "levels": 3,
            "seed_seconds": round(seed_seconds, 2),
            "first_changes": len(first), "first_seconds": round(first_seconds, 3),
            "second_changes": len(second), "second_seconds": round(second_seconds, 3),
            "certified": sum(1 for change in first if change["to"] == "certified"),
        }
        db.session.remove()
        db.engine.dispose()
    return figures


def _timed(function) -> float:  # noqa: ANN001 - any callable
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _evaluate(app) -> tuple[list[dict], float]:  # noqa: ANN001 - a Flask app
    """`servicecoach cert evaluate --json`, timed from the command's start to its output."""
    from training.cli import main
    from training.database import db

    db.session.remove()
    runner = app.test_cli_runner()
    start = time.perf_counter()
    result = runner.invoke(main, ["cert", "evaluate", "--json"], catch_exceptions=False)
    seconds = time.perf_counter() - start
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return json.loads(result.stdout)["changes"], seconds


def _seed(employees: int) -> None:
    """Employees, exams with graded attempts, courses with completions, three levels."""
    from sqlalchemy import insert, select

    from training.courses.models import Course, CourseAssignment
    from training.database import db, utcnow
    from training.exams.models import Exam
    from training.papers.models import Paper
    from training.people.models import User, UserRole
    from training.people.services import ensure_department

    randomly = random.Random(16)
    now = utcnow()
    department = ensure_department(DEPARTMENT)
    paper = Paper(title="认证压测试卷", kind="fixed")
    db.session.add(paper)
    db.session.flush()
    exams = [Exam(paper_id=paper.id, title=f"认证压测考试{n}", opens_at=now - timedelta(days=400),
                  closes_at=now + timedelta(days=30), pass_mark=60.0) for n in (1, 2)]
    courses = [Course(title=f"认证压测课程{n}") for n in (1, 2)]
    db.session.add_all(exams + courses)
    db.session.flush()
    db.session.add_all([CourseAssignment(course_id=c.id, department_id=department.id,
                                         due_at=now + timedelta(days=30),
                                         assigned_at=now - timedelta(days=60)) for c in courses])
    today = date.today()
    for start in range(0, employees, BATCH):
        numbers = range(start + 1, min(start + BATCH, employees) + 1)
        db.session.execute(insert(User), [{
            "username": f"cert-{n:05d}", "employee_no": f"C{n:05d}", "display_name": f"认证压测{n}",
            "department_id": department.id, "password_hash": "!", "active": True,
            "must_change_password": False, "session_version": 1, "created_at": now,
            "hire_date": today - timedelta(days=randomly.randrange(30, 1100)),
        } for n in numbers])
        ids = list(db.session.scalars(select(User.id).where(
            User.username.in_([f"cert-{n:05d}" for n in numbers]))))
        db.session.execute(insert(UserRole), [{"user_id": i, "role": "employee"} for i in ids])
        _attempts_and_completions(ids, exams, courses, randomly, now)
    _save_levels(exams, courses, department.id)
    db.session.commit()


def _attempts_and_completions(ids, exams, courses, randomly, now) -> None:  # noqa: ANN001
    from sqlalchemy import insert

    from training.courses.models import CourseCompletion
    from training.database import db
    from training.exams.models import Attempt

    attempts, completions = [], []
    for user_id in ids:
        for exam in exams:
            for number in range(1, randomly.choice((1, 1, 2)) + 1):
                score = randomly.randrange(30, 101)
                finished = now - timedelta(days=randomly.randrange(1, 300), minutes=user_id % 600)
                attempts.append({
                    "exam_id": exam.id, "user_id": user_id, "number": number, "seed": user_id,
                    "started_at": finished - timedelta(minutes=40), "deadline": finished,
                    "submitted_at": finished, "finish_reason": "submitted", "position": 0,
                    "score": float(score), "max_score": 100.0, "passed": score >= 60,
                    "graded_at": finished,
                })
        for course in courses:
            if randomly.random() < 0.8:
                completions.append({"course_id": course.id, "user_id": user_id,
                                    "completed_at": now - timedelta(days=randomly.randrange(1, 50))})
    db.session.execute(insert(Attempt), attempts)
    if completions:
        db.session.execute(insert(CourseCompletion), completions)


def _save_levels(exams, courses, department_id: int) -> None:  # noqa: ANN001
    """初级: exam + course; 中级: 初级 + a higher recent mark + tenure; 高级: 中级 + a top last
    mark or the second course in time."""
    from training.certification import rules
    from training.certification.lifecycle import ExpiryBase
    from training.certification.rule_yaml import Level
    from training.certification.services import save_level

    first, second = exams
    basic, advanced = courses
    junior = save_level(Level("bench-junior", "压测初级", rules.AllOf((
        rules.ExamPassed(first.id, min_percent=60), rules.CourseCompleted(basic.id))),
        validity_months=12, department_ids=(department_id,)), actor=None)
    middle = save_level(Level("bench-middle", "压测中级", rules.AllOf((
        rules.ExamPassed(second.id, min_percent=75, within_months=12), rules.MinimumTenure(6))),
        validity_months=12, expiry_base=ExpiryBase.PREVIOUS_EXPIRY, window_days=60,
        department_ids=(department_id,), prerequisite_ids=(junior.id,)), actor=None)
    save_level(Level("bench-senior", "压测高级", rules.AnyOf((
        rules.ExamPassed(second.id, min_percent=90, attempt=rules.AttemptChoice.LAST),
        rules.CourseCompleted(advanced.id, within_days=30))),
        validity_months=24, department_ids=(department_id,), prerequisite_ids=(middle.id,)),
        actor=None)


def run() -> dict:
    """BENCH_ROUNDS rounds (3) per engine, each on a fresh database, the engines taking turns."""
    rounds = each_engine("certification", _engine_run, int(_env("BENCH_ROUNDS", "3")))
    return {engine: medians(found) for engine, found in rounds.items()}


def charts(figures: dict) -> dict[str, dict[str, dict[str, float]]]:
    """The two evaluations' seconds per engine."""
    return {"seconds": {engine: {
        "full evaluate": found["median"]["first_seconds"],
        "second evaluate (no change)": found["median"]["second_seconds"],
    } for engine, found in figures.items()}}
