"""Running report exports in the background: RQ on Redis, or a thread of the app server.

A job is a row (`ReportJob`); whoever runs it needs only its id and the database. With
REDIS_URL set, the id goes to an RQ queue and `servicecoach worker` runs it; without Redis a
thread of the server that queued it does, in an app context (and database session) of its own.
Either way the finished file lands in the row, so any app server can hand it out.

The id is handed over only once the transaction that created the row has committed (the
session's after_commit): a worker quicker than the request's commit would otherwise find no
job. Progress is written through a connection of its own, committed at once, so the page polling
it sees the bar move while the builder's own session stays untouched.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from training.database import db, transaction, utcnow
from training.errors import DomainError
from training.mail import send_mail
from training.reports.document import build, progress_to
from training.reports.exports import MIMETYPES, Format, export
from training.reports.filters import Filters
from training.reports.models import JobStatus, ReportJob
from training.timezones import local_day

QUEUE_NAME = "servicecoach-reports"
BUILD_SHARE = 90  # of the progress bar: the builder's queries; the file takes the rest
_PENDING = "report_jobs_to_dispatch"
_threads: list[threading.Thread] = []


def dispatch_after_commit(job_id: int) -> None:
    """Hand the job to a runner as soon as the current transaction commits (never if it rolls
    back)."""
    db.session.info.setdefault(_PENDING, []).append(job_id)


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session: Session) -> None:
    for job_id in session.info.pop(_PENDING, []):
        dispatch(job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def dispatch(job_id: int) -> None:
    """Queue the job on Redis when configured, else run it in a thread of this process."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("REDIS_URL"):
        queue(app).enqueue(run_job, job_id, job_timeout=app.config["REPORT_JOB_TIMEOUT"],
                           result_ttl=0, failure_ttl=24 * 3600)
        return
    thread = threading.Thread(target=_run_in_app, args=(app, job_id), daemon=True,
                              name=f"report-job-{job_id}")
    _threads.append(thread)
    thread.start()


def queue(app: Flask):  # -> rq.Queue (rq is imported only where Redis is used)
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def wait_for_threads(timeout: float | None = None) -> None:
    """Let this process's export threads finish (a CLI command must not exit under them)."""
    while _threads:
        _threads.pop().join(timeout)


def run_job(job_id: int) -> None:
    """Build the report, write the file and keep it on the job; a failure is recorded, not
    raised, so the page can say so. Runs once: a job another runner claimed is left alone."""
    if not _claim(job_id):
        return
    job = db.session.get(ReportJob, job_id)
    assert job is not None
    with force_locale(job.owner.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            with transaction():
                data = _build_file(job)
        except Exception as error:  # a builder's bug must end as a failed job, not a stuck one
            reason = error.message if isinstance(error, DomainError) else _("生成报表时出错。")
            _set(job_id, status=JobStatus.FAILED, error=reason, finished_at=utcnow())
            if not isinstance(error, DomainError):
                current_app.logger.exception("report job %s failed", job_id)
            return
        try:
            _mail_if_asked(job, data)
        except OSError:  # the file is made and listed; a mail server's trouble only loses the mail
            current_app.logger.exception("report job %s: sending the mail failed", job_id)


def _claim(job_id: int) -> bool:
    """Mark a queued job running; False when it is not queued (already taken, or gone)."""
    with transaction():
        claimed = db.session.execute(
            update(ReportJob)
            .where(ReportJob.id == job_id, ReportJob.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, started_at=utcnow())
        )
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _build_file(job: ReportJob) -> bytes:
    """The report's file, with the job's progress written as the builder reports it."""
    shown = {"percent": 0}

    def advance(percent: int) -> None:
        scaled = percent * BUILD_SHARE // 100
        if scaled > shown["percent"]:
            shown["percent"] = scaled
            _set(job.id, progress=scaled)

    with progress_to(advance):
        report = build(job.report, Filters.from_args(job.args))
    _set(job.id, progress=BUILD_SHARE)
    data = export(report, Format(job.format))
    job.title = report.title[:200]
    job.filename = file_name(report.title, job.format)
    job.content, job.size = data, len(data)
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, utcnow()
    return data


def file_name(title: str, file_format: str) -> str:
    """The download's name: the report's title and the day it was made."""
    safe = "".join("_" if char in '/\\:*?"<>|' else char for char in title).strip() or "report"
    return f"{safe[:200]}-{local_day(utcnow()).isoformat()}.{file_format}"


def _set(job_id: int, **values: object) -> None:
    """Write to the job row at once, outside the builder's transaction."""
    with db.engine.begin() as connection:
        connection.execute(update(ReportJob).where(ReportJob.id == job_id).values(**values))


def _mail_if_asked(job: ReportJob, data: bytes) -> None:
    """A scheduled file goes to the saved report's address too, when SMTP is configured."""
    saved = job.saved_report
    if job.scheduled_month is None or saved is None or not saved.email:
        return
    assert job.filename is not None
    send_mail(
        [address.strip() for address in saved.email.split(",") if address.strip()],
        _("%(name)s · %(month)s", name=saved.name, month=job.scheduled_month),
        _("附件是每月报表“%(name)s”（%(month)s）。", name=saved.name, month=job.scheduled_month),
        [(job.filename, data, MIMETYPES[Format(job.format)])],
    )


def fail_stale_jobs(now: datetime) -> int:
    """Mark failed the jobs still unfinished long after they were queued: their worker or
    server died (a background sweep, training/jobs.py)."""
    cutoff = now - timedelta(seconds=current_app.config["REPORT_JOB_TIMEOUT"])
    result = db.session.execute(
        update(ReportJob)
        .where(ReportJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
               ReportJob.created_at < cutoff)
        .values(status=JobStatus.FAILED, error=_("导出超时或被中断，请重新导出。"),
                finished_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
