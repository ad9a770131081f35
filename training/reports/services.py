"""Exports as background jobs, and saved report definitions: the rules and the writes.

Every export is a job, however quick its builder: one path for a small table and a year of
answers, a file that any app server hands out, and a list where the person finds it again.
Only the job's owner (or an admin) sees it; a saved definition is its owner's alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from training.database import db
from training.errors import DomainError, NotFound
from training.people.models import User
from training.reports.document import BUILDERS
from training.reports.exports import Format
from training.reports.filters import Filters
from training.reports.jobs import dispatch_after_commit
from training.reports.models import ReportJob, SavedReport

RECENT_JOBS = 30


def parse_format(value: str | None) -> Format:
    """The export format named in a request; refuses anything else by name."""
    try:
        return Format(value or "")
    except ValueError:
        raise DomainError(_("不支持的导出格式：%(format)s", format=value or "")) from None


def _known_report(name: str) -> str:
    if name not in BUILDERS:
        raise NotFound(_("没有名为 %(name)s 的报表。", name=name))
    return name


def start_export(
    report: str,
    filters: Filters,
    file_format: Format,
    owner: User,
    *,
    title: str = "",
    saved: SavedReport | None = None,
    scheduled_month: str | None = None,
) -> ReportJob:
    """Queue an export of `report` with `filters`; it starts once this transaction commits.

    `title` names the job until the report is built and gives its own (the page's title, or
    the saved report's name)."""
    job = ReportJob(
        owner=owner,
        report=_known_report(report),
        title=title.strip()[:200],
        args=filters.to_args(),
        format=file_format,
        saved_report=saved,
        scheduled_month=scheduled_month,
    )
    db.session.add(job)
    db.session.flush()
    dispatch_after_commit(job.id)
    return job


def may_see(job_or_saved: ReportJob | SavedReport, user: User) -> bool:
    return job_or_saved.owner_id == user.id or user.has_role("admin")


def visible_job(job_id: int, user: User) -> ReportJob:
    """The job if `user` owns it (or is an admin); NotFound otherwise, so ids reveal nothing."""
    job = db.session.get(ReportJob, job_id)
    if job is None or not may_see(job, user):
        raise NotFound(_("没有这个导出任务。"))
    return job


def visible_saved(saved_id: int, user: User) -> SavedReport:
    saved = db.session.get(SavedReport, saved_id)
    if saved is None or not may_see(saved, user):
        raise NotFound(_("没有这个已保存的报表。"))
    return saved


def recent_jobs(user: User) -> list[ReportJob]:
    """The user's latest exports, newest first (the file itself is not loaded)."""
    return list(db.session.scalars(
        select(ReportJob).where(ReportJob.owner_id == user.id)
        .order_by(ReportJob.created_at.desc(), ReportJob.id.desc()).limit(RECENT_JOBS)
    ))


def saved_reports(user: User) -> list[SavedReport]:
    return list(db.session.scalars(
        select(SavedReport).where(SavedReport.owner_id == user.id).order_by(SavedReport.name)
    ))


def save_report(
    owner: User,
    name: str,
    report: str,
    filters: Filters,
    file_format: Format,
    *,
    monthly: bool = False,
    email: str = "",
) -> SavedReport:
    """Save the filter set under `name`; saving again under the same name replaces it."""
    name = name.strip()
    if not name:
        raise DomainError(_("请给报表起个名字。"))
    saved = db.session.scalar(
        select(SavedReport).where(SavedReport.owner_id == owner.id, SavedReport.name == name)
    ) or SavedReport(owner=owner, name=name)
    saved.report = _known_report(report)
    saved.args = filters.to_args()
    saved.format = file_format
    saved.monthly = monthly
    saved.email = email.strip()
    db.session.add(saved)
    db.session.flush()
    return saved


def delete_saved(saved: SavedReport) -> None:
    """Forget the definition; the files it produced stay in the list."""
    db.session.delete(saved)
    db.session.flush()


def run_saved(saved: SavedReport, owner: User) -> ReportJob:
    """Run a saved definition again now, with the filters it was saved with."""
    filters = Filters.from_args(saved.args)
    return start_export(saved.report, filters, Format(saved.format), owner, title=saved.name,
                        saved=saved)


def previous_month(today: date) -> tuple[date, date, str]:
    """The calendar month before `today`'s: its first and last day and its name ("2026-11")."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last, f"{last:%Y-%m}"


def schedule_monthly(today: date) -> list[ReportJob]:
    """Queue last month's file of every monthly saved report that has none yet.

    The period of the saved filters is replaced by last month; the other filters stay. Running
    it again in the same month queues nothing more (the job's unique month keeps it so)."""
    first, last, month = previous_month(today)
    done = set(db.session.scalars(
        select(ReportJob.saved_report_id).where(ReportJob.scheduled_month == month)
    ))
    jobs = []
    for saved in db.session.scalars(
        select(SavedReport).where(SavedReport.monthly.is_(True)).order_by(SavedReport.id)
    ):
        if saved.id in done or saved.report not in BUILDERS:
            continue
        filters = Filters.from_args(saved.args).with_period(first, last)
        jobs.append(start_export(saved.report, filters, Format(saved.format), saved.owner,
                                 title=saved.name, saved=saved, scheduled_month=month))
    return jobs
