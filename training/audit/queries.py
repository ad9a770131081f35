"""Reading the audit log: the events an administrator's filters select, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select

from training.audit.models import AuditEvent
from training.database import db


@dataclass
class AuditFilter:
    """What the audit-log page can be narrowed by; `until` is exclusive."""

    actor: str = ""
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def audit_query(criteria: AuditFilter) -> Select[tuple[AuditEvent]]:
    """Events (their actor joined in) matching every filter given."""
    stmt = select(AuditEvent)
    if criteria.actor.strip():
        like = f"%{criteria.actor.strip()}%"
        # The user model reached through the relationship: people record audit events, so the
        # audit log must not import people.
        user = AuditEvent.actor.property.mapper.class_
        stmt = stmt.where(AuditEvent.actor.has(
            or_(user.username.ilike(like), user.display_name.ilike(like),
                user.employee_no.ilike(like))
        ))
    if criteria.action:
        stmt = stmt.where(AuditEvent.action == criteria.action)
    if criteria.since is not None:
        stmt = stmt.where(AuditEvent.at >= criteria.since)
    if criteria.until is not None:
        stmt = stmt.where(AuditEvent.at < criteria.until)
    return stmt.order_by(AuditEvent.id.desc())


def recorded_actions() -> set[str]:
    """Every action name the log holds (some may have no label yet)."""
    return set(db.session.scalars(select(AuditEvent.action).distinct()))
