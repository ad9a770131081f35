"""Certification levels, their rule versions, each employee's status, certificates and history.

- A `CertLevel` points at its current `CertRuleVersion`; changing the rule adds a version, and a
  certificate keeps the version it was awarded under.
- `CertStatus` is one row per employee and level: the status as last evaluated, so the HR board
  counts it with one grouped query. It is derived and may be rewritten.
- `CertEvent` is the history and is never rewritten: every award, renewal, expiry, revocation,
  flag and flag decision is a row.
- `Certificate` freezes what it says at award time (holder's name, 工号, level name, dates,
  code); its PDF is rendered from those columns and stored on first render, so every download
  is the same document.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from training.certification.lifecycle import ExpiryBase, Status
from training.database import db, one_of, utcnow
from training.people.models import User


class EventKind(StrEnum):
    AWARDED = "awarded"  # by the rule
    RENEWED = "renewed"  # by the rule, in the window
    MANUAL = "manual"  # awarded by HR, with a reason
    EXPIRED = "expired"
    REVOKED = "revoked"  # by HR, with a reason
    FLAGGED = "flagged"  # a rescore took away what the award stood on; HR decides
    FLAG_KEPT = "flag_kept"  # HR decided to keep the certificate (with a reason)


class CertLevel(db.Model):
    """A certification level (初级客服专员 …) and whom it applies to."""

    __tablename__ = "cert_level"
    __table_args__ = (
        one_of("expiry_base", ExpiryBase),
        CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity"),
        CheckConstraint("window_days >= 0", name="window_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stable name in YAML and the API
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    validity_months: Mapped[int | None]
    expiry_base: Mapped[str] = mapped_column(String(20), default=ExpiryBase.COMPLETION)
    window_days: Mapped[int] = mapped_column(default=30)
    # Whom it applies to: employees in any of these department subtrees (ids) and, when
    # positions are given, holding one of them. Both empty: every active employee.
    department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    positions: Mapped[list[str]] = mapped_column(JSON, default=list)
    prerequisite_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # levels that must be active
    sort_order: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("cert_rule_version.id", use_alter=True, name="fk_cert_level_current_version")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    current_version: Mapped[CertRuleVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class CertRuleVersion(db.Model):
    """One version of a level's rule, as `rules.to_dict` stores it; never edited once saved."""

    __tablename__ = "cert_rule_version"
    __table_args__ = (UniqueConstraint("level_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(
        ForeignKey("cert_level.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    level: Mapped[CertLevel] = relationship(foreign_keys=[level_id])


class Certificate(db.Model):
    """One certificate: issued by the rule, a renewal, or HR. Its code is what /verify reads."""

    __tablename__ = "certificate"
    __table_args__ = (Index("ix_certificate_user_level", "user_id", "level_id", "issued_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # ≥ 80 random bits, see codes.py
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    level_id: Mapped[int] = mapped_column(ForeignKey("cert_level.id", ondelete="CASCADE"))
    rule_version_id: Mapped[int | None] = mapped_column(ForeignKey("cert_rule_version.id"))
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    manual: Mapped[bool] = mapped_column(default=False)
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]  # the first day it is no longer valid
    revoked_on: Mapped[date | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    # Frozen at award time: what the certificate says, whatever is renamed later.
    holder_name: Mapped[str] = mapped_column(String(100))
    employee_no: Mapped[str | None] = mapped_column(String(32))
    level_name: Mapped[str] = mapped_column(String(100))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # stored on first render
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    level: Mapped[CertLevel] = relationship()
    rule_version: Mapped[CertRuleVersion | None] = relationship()


class CertStatus(db.Model):
    """An employee's status for a level as last evaluated (derived; rewritten freely)."""

    __tablename__ = "cert_status"
    __table_args__ = (
        UniqueConstraint("user_id", "level_id"),
        one_of("status", Status),
        Index("ix_cert_status_level_status", "level_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("cert_level.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate.id", ondelete="SET NULL")
    )
    expires_on: Mapped[date | None]  # the current certificate's, for "expiring in 30/60 days"
    met: Mapped[int] = mapped_column(default=0)  # requirements met, of `total`
    total: Mapped[int] = mapped_column(default=0)
    flagged_at: Mapped[datetime | None]  # a rescore took a pass away; HR has not decided yet
    flag_reason: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    level: Mapped[CertLevel] = relationship()
    certificate: Mapped[Certificate | None] = relationship()


class CertEvent(db.Model):
    """One line of a person's certification history; rows are only ever added."""

    __tablename__ = "cert_event"
    __table_args__ = (
        one_of("kind", EventKind),
        Index("ix_cert_event_user_level", "user_id", "level_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    level_id: Mapped[int] = mapped_column(ForeignKey("cert_level.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[date]  # the day it took effect (the evaluation's as-of day)
    at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was recorded
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    rule_version_id: Mapped[int | None] = mapped_column(ForeignKey("cert_rule_version.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    certificate: Mapped[Certificate | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
