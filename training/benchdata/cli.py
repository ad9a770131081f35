"""`servicecoach bench seed` (examinee accounts for the exam-day load test) and `bench dataset`
(a history for the report benchmarks)."""

from __future__ import annotations

import json
import time
from datetime import date, datetime

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


@bench.command("dataset")
@click.option("--employees", type=click.IntRange(min=1), required=True, help="How many employees.")
@click.option("--exams", type=click.IntRange(min=1), required=True, help="How many exams.")
@click.option("--answers", type=click.IntRange(min=1), required=True,
              help="About how many answers in all (whole attempts).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The history's last day (default today): with the seed, fixes every date.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@with_appcontext
def dataset_command(employees: int, exams: int, answers: int, seed: int,
                    until: datetime | None, as_json: bool) -> None:
    """A reproducible two-year history (departments, employees, exams, graded attempts) for the
    report benchmarks, written in bulk."""
    from training.benchdata.dataset import DatasetSize, generate

    size = DatasetSize(employees, exams, answers, seed, until.date() if until else date.today())
    began = time.perf_counter()
    try:
        with transaction():
            report = generate(size)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    seconds = round(time.perf_counter() - began, 1)
    if as_json:
        click.echo(json.dumps({"exam_ids": report.exam_ids, "employees": report.employees,
                               "answers": report.answers, "seconds": seconds}))
        return
    click.echo(f"{report.employees} employees, {len(report.exam_ids)} exams, "
               f"{report.answers} answers in {seconds} s")
