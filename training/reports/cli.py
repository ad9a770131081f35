"""`servicecoach report …`: reports for scripts and cron.

- `item-analysis EXAM_ID [--department PATH] [--from] [--to] --json`: the item analysis, the
  same JSON as `GET /api/v1/reports/exams/{id}/items`.
- `run-scheduled`: last month's file of every monthly saved report (cron, once a month).
"""

from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from training.database import transaction, utcnow
from training.errors import DomainError
from training.reports.exam_reports import flag_text, option_text
from training.reports.exams import get_exam, item_analysis, items_json
from training.reports.filters import Filters
from training.reports.jobs import wait_for_threads
from training.reports.services import schedule_monthly
from training.timezones import local_day


@click.group()
def report() -> None:
    """Reports for scripts, and their monthly exports."""


@report.command("item-analysis")
@click.argument("exam_id", type=int)
@click.option("--department", help="部门路径，含下级部门，如 总公司/客服中心")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="交卷日期起（含）")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="交卷日期止（含）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@with_appcontext
def item_analysis_command(exam_id: int, department: str | None, date_from: str | None,
                          date_to: str | None, as_json: bool) -> None:
    """Per question facility, discrimination and option counts; the exam's reliability."""
    try:
        filters = Filters.from_args({"department": department, "from": date_from, "to": date_to,
                                     "exam": [str(exam_id)]})
        analysis = item_analysis(get_exam(exam_id), filters)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if as_json:
        click.echo(json.dumps(items_json(analysis), ensure_ascii=False))
        return
    click.echo(f"{analysis.exam.title}: {analysis.attempts} attempt(s)")
    for item in analysis.items:
        click.echo(f"  Q{item.question_id}  n={item.sums.n}  facility={_fmt(item.facility)}  "
                   f"discrimination={_fmt(item.discrimination)}  {option_text(item)}  "
                   f"{flag_text(item.flags)}")
    click.echo(f"alpha={_fmt(analysis.reliability.alpha)}  sem={_fmt(analysis.sem_percent)}%")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


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
