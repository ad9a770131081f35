"""Figures shown on the role home pages, each one query over plain records."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from training.audit.models import AuditEvent
from training.database import db
from training.people.models import DEPARTMENT_SEPARATOR, Department, User, UserRole


@dataclass
class Headcount:
    department: str
    active: int


@dataclass
class AdminSummary:
    users: int
    active: int
    must_change: int
    by_role: dict[str, int]
    recent_events: list[tuple[AuditEvent, str | None]]


def headcount_by_top_department(level: int = 2) -> list[Headcount]:
    """Active employees per department at `level` of the tree (1 = company, 2 = center)."""
    rows = db.session.execute(
        select(Department.path, func.count(User.id))
        .join(User, User.department_id == Department.id)
        .where(User.active.is_(True))
        .group_by(Department.path)
    )
    totals: dict[str, int] = {}
    for path, count in rows:
        key = DEPARTMENT_SEPARATOR.join(path.split(DEPARTMENT_SEPARATOR)[:level])
        totals[key] = totals.get(key, 0) + count
    return [Headcount(name, count) for name, count in sorted(totals.items())]


def admin_summary(recent: int = 8) -> AdminSummary:
    """Account figures and the latest audited actions with the actor's name."""
    users, active, must_change = db.session.execute(
        select(
            func.count(User.id),
            func.count(User.id).filter(User.active.is_(True)),
            func.count(User.id).filter(User.must_change_password.is_(True)),
        )
    ).one()
    by_role = dict(
        db.session.execute(select(UserRole.role, func.count()).group_by(UserRole.role)).all()
    )
    events = db.session.execute(
        select(AuditEvent, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.id.desc())
        .limit(recent)
    ).all()
    return AdminSummary(users, active, must_change, by_role, [tuple(e) for e in events])
