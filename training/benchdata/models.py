"""The benchmark's ceiling table: one row per user, touched by one primary-key upsert."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from training.database import db, utcnow


class BenchCeiling(db.Model):
    """What the cheapest possible authenticated write touches, to measure the others against."""

    __tablename__ = "bench_ceiling"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    counter: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
