"""`servicecoach bench seed`: examinee accounts for the exam-day load test."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from training.database import transaction
from training.errors import DomainError


@click.group()
def bench() -> None:
    """Benchmark data."""


@bench.command("seed")
@click.option("--employees", type=click.IntRange(min=1), required=True, help="How many accounts.")
@click.option("--password", required=True, help="The password every seeded account shares.")
@with_appcontext
def seed_command(employees: int, password: str) -> None:
    """Create employees bench-00001 … in 示范公司/压测 for the demo mock exam; safe to rerun."""
    from training.benchdata.services import seed_examinees

    try:
        with transaction():
            report = seed_examinees(employees, password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(
        f"created {report.created}, kept {report.existing} account(s) in {report.department}"
        f" (exam {report.exam_id})"
    )
