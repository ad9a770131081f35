"""`servicecoach exam sweep`: close attempts abandoned past their deadline (run it from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

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
