"""Levels, status rows and history written straight to the database, as evaluations would leave
them, for the pages' tests (the evaluation itself is tested in test_services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from training.certification import rules
from training.certification.models import CertEvent, CertLevel, CertRuleVersion, CertStatus
from training.database import db
from training.people.models import User


def stored_level(code: str, name: str, rule: rules.Rule | None = None, **fields: Any) -> CertLevel:
    """A level with one rule version (by default: tenure of one month)."""
    level = CertLevel(code=code, name=name, validity_months=fields.pop("validity_months", 12),
                      **fields)
    db.session.add(level)
    db.session.flush()
    version = CertRuleVersion(level_id=level.id, number=1,
                              rule=rules.to_dict(rule or rules.AllOf((rules.MinimumTenure(1),))))
    db.session.add(version)
    db.session.flush()
    level.current_version = version
    db.session.commit()
    return level


def set_status(user: User, level: CertLevel, status: str, expires_on: date | None = None,
               **fields: Any) -> CertStatus:
    row = CertStatus(user_id=user.id, level_id=level.id, status=status, expires_on=expires_on,
                     **fields)
    db.session.add(row)
    db.session.commit()
    return row


def add_event(user: User, level: CertLevel, kind: str, effective_on: date, **fields: Any) -> CertEvent:
    event = CertEvent(user_id=user.id, level_id=level.id, kind=kind, effective_on=effective_on,
                      **fields)
    db.session.add(event)
    db.session.commit()
    return event
