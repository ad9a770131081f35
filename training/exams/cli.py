"""`servicecoach exam sweep` and `exam prepare`: the exams' cron jobs."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from training.database import transaction
from training.errors import DomainError
from training.jobs import run_jobs


@click.group()
def exam() -> None:
    """Exams and attempts."""


@exam.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Close and grade every attempt left open past its deadline (+ grace), as of the deadline,
    and run the other background jobs (wrong-answer books whose answers became visible).

    Safe to run often and from several servers at once (rows are locked, skip-locked).
    Requests also run these jobs lazily, so cron only keeps reports current on a quiet day.
    """
    done = run_jobs()
    click.echo(f"closed {done.get('sweep_expired', 0)} attempt(s)")


@exam.command("prepare")
@click.argument("exam_ids", nargs=-1, type=int)
@click.option("--opening-within", type=click.IntRange(min=1), metavar="MINUTES",
              help="Instead of EXAM_IDS: every exam that opens in the next MINUTES (cron).")
@with_appcontext
def prepare_command(exam_ids: tuple[int, ...], opening_within: int | None) -> None:
    """Draw each examinee's next attempt ahead of time, so Start at the opening draws nothing.

    Idempotent: draws still current are kept, stale ones (the exam, paper or a question edited
    since) are redrawn. Each exam is committed on its own.
    """
    from training.exams.predraw import exams_opening_within, prepare
    from training.exams.services import get_exam

    if bool(exam_ids) == bool(opening_within):
        raise click.UsageError("give EXAM_IDS or --opening-within MINUTES (one of the two)")
    try:
        exams = exams_opening_within(opening_within) if opening_within else [
            get_exam(exam_id) for exam_id in exam_ids]
        for one in exams:
            with transaction():
                report = prepare(one)
            click.echo(f"exam {report.exam_id}: {report.drawn} drawn, {report.kept} kept, "
                       f"{report.replaced} stale discarded")
    except DomainError as error:
        raise click.ClickException(error.message) from error
