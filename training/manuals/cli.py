"""`servicecoach manual import FILE [--title T] [--dry-run] [--json]` — a contract other tools use.

--dry-run --json prints exactly `ManualParseResult.to_json()` (documents → parts with label,
title, text, parts; problems with line, severity, message) and writes nothing; the exit status
is 0 when at least one regulation parsed without error. Without --dry-run every regulation of
the file is imported, or none (exit 1) when any has an error; --json then prints the same
object with `manual_id`, `edition_id`, `version` and `created` added to each document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from training.database import transaction
from training.errors import DomainError
from training.i18n import translate_pure
from training.imports.checks import UploadRefused
from training.manuals.outline import outline_rows
from training.manuals.parsing import ManualParseResult
from training.manuals.services import import_manuals
from training.manuals.uploads import read_regulations, refusal_result


@click.group()
def manual() -> None:
    """Service manuals: import regulations into the library."""


@manual.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", help="Title for a regulation whose file names none.")
@click.option("--dry-run", is_flag=True, help="Parse and report only; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@with_appcontext
def manual_import(file: Path, title: str | None, dry_run: bool, as_json: bool) -> None:
    """Import the regulations in a .txt, .md or .docx file: all of them or none."""
    try:
        result = read_regulations(file.read_bytes(), file.name, title)
    except UploadRefused as refused:
        result = refusal_result(refused)
    payload = result.to_json()
    if dry_run:
        _report(result, payload, as_json)
        click.get_current_context().exit(0 if result.ok else 1)
    try:
        with transaction():
            imported = import_manuals(result, file.name)
    except DomainError as error:
        _report(result, payload, as_json)
        click.echo(f"{file.name}: {error.message}", err=True)
        click.get_current_context().exit(1)
    for document, item in zip(payload["documents"], imported, strict=True):
        document.update(
            manual_id=item.edition.manual_id,
            edition_id=item.edition.id,
            version=item.edition.version,
            created=item.created,
        )
    _report(result, payload, as_json)


def _report(result: ManualParseResult, payload: dict[str, Any], as_json: bool) -> None:
    """The JSON object on stdout, or a line per regulation with problems on stderr."""
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    for problem in result.problems:
        message = translate_pure(problem.message)  # the default language: the CLI has no reader
        click.echo(f"line {problem.line}: {problem.severity}: {message}", err=True)
    for document, shown in zip(result.documents, payload["documents"], strict=True):
        articles = sum(row.is_article for row in outline_rows(document))
        edition = f" → v{shown['version']}" if "version" in shown else ""
        state = " (unchanged)" if shown.get("created") is False else ""
        click.echo(f"{document.title}: {articles} articles{edition}{state}")
