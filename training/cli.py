"""The `servicecoach` command: Flask's CLI plus serve, user and demo commands.

`servicecoach run` (development server), `servicecoach db upgrade` (Flask-Migrate) and
`servicecoach routes` come from Flask; the groups below are ServiceCoach's own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from training import create_app
from training.bank.cli import bank
from training.benchdata.cli import bench
from training.database import transaction
from training.errors import DomainError
from training.exams.cli import exam
from training.manuals.cli import manual
from training.reports.cli import report
from training.roleplay.cli import scenario


def default_workers() -> int:
    """gunicorn processes: one per core plus one, each running threads.

    gunicorn's usual 2×cores+1 is meant for single-threaded workers. On the 2-core exam-day
    benchmark, 3 workers × 4 threads used 96 ms of CPU per examinee against 139 ms for 5 × 4
    (fewer processes and database connections contending for the same cores), and only with 3
    did the PostgreSQL start burst meet its target (bench/results/exam_day.json).
    """
    return (os.cpu_count() or 1) + 1


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """ServiceCoach 客服培训考核系统."""


@main.command()
@click.option(
    "--bind",
    default=lambda: os.environ.get("BIND", "127.0.0.1:8000"),
    show_default="127.0.0.1:8000",
)
@click.option(
    "--workers",
    type=int,
    default=lambda: int(os.environ.get("WEB_CONCURRENCY", default_workers())),
)
@click.option("--threads", type=int, default=lambda: int(os.environ.get("GUNICORN_THREADS", 4)))
@click.option("--timeout", type=int, default=60)
def serve(bind: str, workers: int, threads: int, timeout: int) -> None:
    """Serve with gunicorn (production): several workers, logs to stdout."""
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "training.wsgi:app",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "*",
    ]
    os.execvp(args[0], args)


@main.group()
def user() -> None:
    """Manage user accounts from scripts."""


@user.command("create")
@click.argument("username")
@click.option("--password", required=True, help="Initial password (8+ characters).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["employee", "trainer", "hr", "admin"]),
    help="Repeat for several.",
)
@click.option("--name", help="Display name (defaults to the username).")
@click.option("--employee-no", help="工号 (unique).")
@click.option("--department", help="Department path, e.g. 示范公司/客服中心/热线一组.")
@with_appcontext
def user_create(
    username: str,
    password: str,
    roles: tuple[str, ...],
    name: str | None,
    employee_no: str | None,
    department: str | None,
) -> None:
    """Create one account."""
    from training.people.services import AccountDetails, create_user

    details = AccountDetails(username, name or username, frozenset(roles), employee_no, department)
    try:
        with transaction():
            created = create_user(details, password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"created {created.username} ({', '.join(sorted(created.role_names))})")


@user.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--password", default="", help="Initial password of new users (changed at first login).")
@click.option("--whole-roster", is_flag=True, help="Active users with a 工号 not in the file leave today.")
@with_appcontext
def user_import(file: Path, password: str, whole_roster: bool) -> None:
    """Import the HR roster (xlsx or csv): new users, changes and leavers; all rows or none."""
    from training.people.importing import read_roster
    from training.people.roster_update import apply_roster, plan_roster

    try:
        with transaction():
            plan = plan_roster(read_roster(file.read_bytes(), file.name), whole_roster=whole_roster)
            for row, problems in plan.roster.problems_by_row().items():
                where = f"row {row}" if row else "file"
                for problem in problems:
                    click.echo(f"{file.name}: {where}: {problem.column or '-'}: {problem.message}",
                               err=True)
            if plan.roster.problems:
                raise click.ClickException(
                    f"{len(plan.roster.problems)} problem(s); nothing imported"
                )
            counts = apply_roster(plan, password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(
        "imported {new} user(s), changed {changed}, leaving {leaving}, unchanged {unchanged}, "
        "skipped {skipped}".format(**counts)
    )


main.add_command(bank)
main.add_command(manual)
main.add_command(exam)
main.add_command(bench)
main.add_command(scenario)
main.add_command(report)


@main.command()
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (for scripts and tests).")
@with_appcontext
def worker(burst: bool) -> None:
    """Run background report exports from Redis (REDIS_URL); one job at a time per worker."""
    from flask import current_app
    from rq import Worker

    from training.reports.jobs import queue

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: exports run in the app servers' threads")
    reports = queue(current_app)
    Worker([reports], connection=reports.connection).work(burst=burst, with_scheduler=False)


@main.group()
def demo() -> None:
    """Bundled demo content."""


@demo.command("load")
@click.option("--password", help="Set every demo account's password to this (for scripts).")
@with_appcontext
def demo_load(password: str | None) -> None:
    """Create the demo company, accounts and content; safe to run again."""
    from training.demo.loader import load_demo

    try:
        report = load_demo(password, progress=lambda step: click.echo(f"… {step}", err=True))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    for line in report.lines:
        click.echo(line)
    click.echo("\nDemo logins (登录账号):")
    for login in report.logins:
        shown = login.password if login.password else "(unchanged 已存在，密码未改)"
        click.echo(f"  {login.username:<16} {login.roles:<10} {shown}")
