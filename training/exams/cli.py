"""`servicecoach exam sweep`: close attempts abandoned past their deadline (run it from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from training.database import db
from training.exams.attempts import sweep_expired


@click.group()
def exam() -> None:
    """Exams and attempts."""


@exam.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Close and grade every attempt left open past its deadline (+ grace), as of the deadline.

    Safe to run often and from several servers at once (rows are locked, skip-locked). Pages
    also close such attempts lazily when they are read, so cron only keeps reports current.
    """
    closed = sweep_expired()
    db.session.commit()
    click.echo(f"closed {closed} attempt(s)")
