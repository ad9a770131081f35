"""Background work run lazily by requests: at most once a minute per process, in its own
transaction, before the request's own work.

Closing abandoned exam attempts and filling wrong-answer books must happen whether or not
anybody opens a page about them, and no view should need to know. Features register a job
(`register_job`); the first request after the interval runs them all, each committed on its own
(a failing job is rolled back and logged; the request goes on). `servicecoach exam sweep` runs
them from cron too, so reports stay current on a quiet day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app, request

from training.database import transaction, utcnow

JOBS: list[Callable[[datetime], int]] = []
EVERY = timedelta(minutes=1)


def register_job(job: Callable[[datetime], int]) -> None:
    """Run `job(now)` lazily with the others; it returns how many records it changed."""
    JOBS.append(job)


def run_jobs(now: datetime | None = None) -> dict[str, int]:
    """Run every job now, each in a transaction of its own; returns what each changed."""
    now = now or utcnow()
    done = {}
    for job in JOBS:
        try:
            with transaction():
                done[job.__name__] = job(now)
        except Exception:  # one broken job must not stop the others or the request
            current_app.logger.exception("background job %s failed", job.__name__)
    return done


def run_jobs_if_due() -> None:
    """Run the jobs if this process has not run them for `EVERY` (a before_request hook)."""
    if request.endpoint == "static":
        return
    now = utcnow()
    due_at = current_app.extensions.get("jobs_due_at")
    if due_at is not None and now < due_at:
        return
    current_app.extensions["jobs_due_at"] = now + EVERY
    run_jobs(now)
