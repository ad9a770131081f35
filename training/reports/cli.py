"""`servicecoach report …`: reports from the command line (cron's monthly run)."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from training.database import transaction, utcnow
from training.reports.jobs import wait_for_threads
from training.reports.services import schedule_monthly
from training.timezones import local_day


@click.group()
def report() -> None:
    """Reports and their exports."""


@report.command("run-scheduled")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
              help="Run as if on this day (default: today); the month before it is reported.")
@with_appcontext
def run_scheduled(today: object) -> None:
    """Make last month's file of every monthly saved report (once a month; safe to re-run).

    With REDIS_URL the files are queued for `servicecoach worker`; without it they are made
    here, before the command exits. Each lands in its owner's 我的报表."""
    day: date = today.date() if today else local_day(utcnow())  # type: ignore[attr-defined]
    with transaction():
        jobs = schedule_monthly(day)
    for job in jobs:
        click.echo(f"job {job.id}: {job.report} for {job.scheduled_month} ({job.format}, "
                   f"owner {job.owner.username})")
    if not current_app.config.get("REDIS_URL"):
        wait_for_threads()
    click.echo(f"{len(jobs)} scheduled report(s) queued")
