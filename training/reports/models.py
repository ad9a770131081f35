"""Background exports and saved report definitions.

A `ReportJob` keeps the finished file in the database: app servers share nothing but the
database, so a job built by a worker (or a thread of one server) downloads from any server.
A `SavedReport` is a report name and its filters (the query string a page had), run again on
demand or every month by `servicecoach report run-scheduled`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from training.database import db, one_of, utcnow
from training.people.models import User
from training.reports.exports import Format


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class SavedReport(db.Model):
    """A named filter set for one report, owned by the person who saved it."""

    __tablename__ = "saved_report"
    __table_args__ = (db.UniqueConstraint("owner_id", "name"), one_of("format", Format))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    report: Mapped[str] = mapped_column(String(40))  # a registered builder's name
    args: Mapped[dict[str, Any]] = mapped_column(JSON)  # Filters.to_args()
    format: Mapped[str] = mapped_column(String(8), default=Format.XLSX)
    monthly: Mapped[bool] = mapped_column(default=False)
    # Where the monthly file is also sent, when SMTP is configured; empty: nowhere.
    email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship()


class ReportJob(db.Model):
    """One export: queued, running (with progress), then done with its file, or failed."""

    __tablename__ = "report_job"
    __table_args__ = (
        one_of("status", JobStatus),
        one_of("format", Format),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
        # A month's scheduled run of a saved report happens once, however often cron fires.
        db.UniqueConstraint("saved_report_id", "scheduled_month"),
        Index("ix_report_job_owner_created", "owner_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    report: Mapped[str] = mapped_column(String(40))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    format: Mapped[str] = mapped_column(String(8))
    saved_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_report.id", ondelete="SET NULL")
    )
    scheduled_month: Mapped[str | None] = mapped_column(String(7))  # "2026-11"
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200), default="")  # the report's, once built
    filename: Mapped[str | None] = mapped_column(String(250))
    size: Mapped[int | None]
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    owner: Mapped[User] = relationship()
    saved_report: Mapped[SavedReport | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
