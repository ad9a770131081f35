"""Recording audit events inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from flask import current_app

from training.audit.models import AuditEvent
from training.database import db


def record(actor: Any, action: str, target: Any = None, **details: Any) -> AuditEvent:
    """Add an audit event naming the actor; it commits (or rolls back) with the change."""
    if target is not None and getattr(target, "id", 0) is None:
        db.session.flush()  # a new target needs its id before it can be named
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        details=details,
    )
    db.session.add(event)
    actor_name = getattr(actor, "username", "system")
    current_app.logger.info(
        "audit %s by %s on %s %s", action, actor_name, event.target_type, event.target_id
    )
    return event
