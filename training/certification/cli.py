"""`servicecoach cert …`: certification levels and evaluation from scripts and cron.

A contract with tools outside the repository (keep it stable; see FORMAT.md):

- `cert import FILE`: save the levels of a YAML file, all of them or (any problem, each
  printed as FILE:LINE: message) none; exit status 1 on problems.
- `cert export`: every level as one YAML file on stdout (what `import` reads back).
- `cert evaluate [--as-of YYYY-MM-DD] [--json]`: evaluate everyone on that day (default:
  today where the company works) and print `{"changes": [{"username", "level", "from", "to"}]}`,
  `level` being the level's code and `from` / `to` statuses (not_started, in_progress,
  certified, expiring, expired, revoked). Evaluating again prints no changes.
- `cert status USERNAME --json`: `[{"level", "status", "issued_at", "expires_at", "code"}]`,
  dates as YYYY-MM-DD or null, the code grouped as printed on the certificate.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from training.certification.reminders import remind
from training.certification.services import (
    ImportRefused,
    evaluate,
    export_levels,
    import_levels,
    statuses_of,
)
from training.database import db, transaction, utcnow
from training.i18n import translate_pure
from training.people.services import find_user
from training.timezones import local_day


@click.group()
def cert() -> None:
    """Certification: import and export levels, evaluate everyone, show a person's status."""


@cert.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_file(file: Path) -> None:
    """Import certification levels from a YAML file (all levels or none)."""
    try:
        with transaction():
            saved = import_levels(file.read_text(encoding="utf-8"), actor=None)
    except ImportRefused as error:
        for problem in error.problems:
            place = f"{file}:{problem.line}" if problem.line else str(file)
            click.echo(f"{place}: {translate_pure(problem.message)}", err=True)
        raise click.ClickException(error.message) from error
    for level in saved:
        click.echo(f"{level.code}: {level.name} (v{level.current_version.number})")


@cert.command("export")
@with_appcontext
def export() -> None:
    """Print every certification level as YAML (what `cert import` reads)."""
    click.echo(export_levels(), nl=False)


@cert.command("evaluate")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]),
              help="Evaluate as on this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@with_appcontext
def evaluate_command(as_of: datetime | None, as_json: bool) -> None:
    """Evaluate every employee against every level; record and print the changes."""
    now = utcnow()
    day: date = as_of.date() if as_of else local_day(now)
    with transaction():
        changes = evaluate(None, day, now)
    if as_json:
        click.echo(json.dumps({"changes": [c.as_json() for c in changes]}, ensure_ascii=False))
        return
    for change in changes:
        click.echo(f"{change.username}\t{change.level}\t{change.from_status} -> {change.to_status}")
    click.echo(f"{len(changes)} change(s) as of {day.isoformat()}", err=True)


@cert.command("status")
@click.argument("username")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array on stdout.")
@with_appcontext
def status(username: str, as_json: bool) -> None:
    """A person's status at each level, with their certificates."""
    user = find_user(username)
    if user is None:
        raise click.ClickException(f"unknown user: {username}")
    found = [item.as_json() for item in statuses_of(user)]
    db.session.rollback()  # read only
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    for item in found:
        click.echo("\t".join(str(item[key] or "-") for key in
                             ("level", "status", "issued_at", "expires_at", "code")))


cert.add_command(remind)  # e-mail reminders, training/certification/reminders.py
