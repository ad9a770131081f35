"""Seed benchmark examinees in bulk, and the ceiling endpoints' writes. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Insert, bindparam, insert, select, update

from training.benchdata.models import BenchCeiling
from training.database import db, dialect_insert, utcnow
from training.demo.people import COMPANY
from training.errors import DomainError, NotFound
from training.exams.demo import MOCK_EXAM
from training.exams.models import Exam
from training.passwords import hash_password
from training.people.models import User, UserRole
from training.people.services import ensure_department, validate_password
from training.roleplay.errors import RunRefused
from training.roleplay.models import RunStep, ScenarioRun

BENCH_DEPARTMENT = f"{COMPANY}/压测"
USERNAME_FORMAT = "bench-{:05d}"
BATCH = 1000


@dataclass(frozen=True)
class SeedReport:
    created: int
    existing: int
    department: str
    exam_id: int


def bench_username(number: int) -> str:
    return USERNAME_FORMAT.format(number)


def demo_mock_exam() -> Exam:
    """The demo mock exam the seeded accounts sit; it covers them through the demo company."""
    exam = db.session.scalar(select(Exam).filter_by(title=MOCK_EXAM))
    if exam is None:
        raise DomainError(_("未找到演示模拟考试，请先运行 servicecoach demo load。"))
    return exam


def seed_examinees(count: int, password: str) -> SeedReport:
    """Create employees bench-00001 … bench-<count> in 示范公司/压测; existing ones are kept.

    One shared password hash and bulk inserts keep thousands of accounts to seconds (a hash per
    account would take minutes); the department lies under the company the mock exam is
    assigned to, so every account may sit it.
    """
    if count < 1:
        raise DomainError(_("人数至少为 1。"))
    validate_password(password)
    exam = demo_mock_exam()
    department = ensure_department(BENCH_DEPARTMENT)
    wanted = [bench_username(n) for n in range(1, count + 1)]
    existing = set(db.session.scalars(select(User.username).where(User.username.like("bench-%"))))
    missing = [name for name in wanted if name not in existing]
    password_hash = hash_password(password)
    now = utcnow()
    for start in range(0, len(missing), BATCH):
        names = missing[start:start + BATCH]
        db.session.execute(insert(User), [
            {
                "username": name,
                "employee_no": name.upper(),
                "display_name": f"压测考生{name.removeprefix('bench-')}",
                "department_id": department.id,
                "password_hash": password_hash,
                "active": True,
                "must_change_password": False,
                "session_version": 1,
                "created_at": now,
            }
            for name in names
        ])
        ids = db.session.scalars(select(User.id).where(User.username.in_(names)))
        db.session.execute(insert(UserRole), [{"user_id": i, "role": "employee"} for i in ids])
    db.session.flush()
    return SeedReport(len(missing), len(wanted) - len(missing), department.path, exam.id)


def touch_ceiling(user_id: int) -> int:
    """One INSERT … ON CONFLICT (user_id) DO UPDATE; returns the row's new counter."""
    statement = _ceiling_upsert(db.session.get_bind().dialect.name)
    return db.session.execute(statement, {"user_id": user_id, "updated_at": utcnow()}).scalar_one()


@cache
def _ceiling_upsert(dialect_name: str) -> Insert:
    """Built once per dialect, as the autosave's upsert is: the ratio compares like with like."""
    table = BenchCeiling.__table__
    statement = dialect_insert(table, dialect_name).values(
        user_id=bindparam("user_id"), counter=1, updated_at=bindparam("updated_at")
    )
    return statement.on_conflict_do_update(
        index_elements=[table.c.user_id],
        set_={"counter": table.c.counter + 1, "updated_at": statement.excluded.updated_at},
    ).returning(table.c.counter)


def record_step_ceiling(user_id: int, run_id: int, step: int) -> int:
    """What no role-play reply can do without: read the caller's run under a lock, insert the
    answered step's row and move the run on, with the replies' rule for a repeated step (the
    run unchanged) and a step ahead (409). Returns the step the run awaits afterwards.

    Nothing else: no scenario graph, scoring, audit or transcript, the run's own node and mood
    copied into the step row, so the step number runs on past any ending."""
    found = db.session.execute(
        select(ScenarioRun.step, ScenarioRun.node_id, ScenarioRun.mood)
        .where(ScenarioRun.id == run_id, ScenarioRun.user_id == user_id).with_for_update()
    ).one_or_none()
    if found is None:
        raise NotFound(_("练习记录不存在。"))
    if step < found.step:
        return found.step
    if step > found.step:
        raise RunRefused("step_ahead", _("这一步还没有到，请刷新页面。"))
    advanced = db.session.execute(
        update(ScenarioRun).where(ScenarioRun.id == run_id, ScenarioRun.step == step)
        .values(step=step + 1)
    )
    # An UPDATE's result is a CursorResult. No row: a racing twin answered the step first (SQLite
    # takes no row lock).
    if advanced.rowcount == 0:  # type: ignore[attr-defined]
        return step + 1
    db.session.execute(insert(RunStep).values(
        run_id=run_id, step=step, node_id=found.node_id, points={}, mood_after=found.mood,
        suggested=False, answered_at=utcnow(),
    ))
    return step + 1
