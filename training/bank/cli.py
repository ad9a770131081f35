"""`servicecoach bank import`: a contract other tools rely on, so its output stays exactly as is.

`--dry-run --json` prints one JSON object (`ImportResult.to_json()`) and touches no database.
Exit status 0 means at least one question parsed and no error; 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from question_bank.formats import FORMATS
from question_bank.model import ImportResult
from training.bank.importing import read_paper, refusal_result
from training.database import transaction
from training.errors import DomainError
from training.i18n import translate_pure
from training.imports.checks import UploadRefused

DEFAULT_BANK = "默认题库"


@click.group()
def bank() -> None:
    """Question banks (题库)."""


@bank.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(["auto", *FORMATS]), default="auto")
@click.option("--bank", "bank_name", default=DEFAULT_BANK, show_default=True)
@click.option("--category", help="Category path, e.g. 客户服务/投诉处理.")
@click.option("--dry-run", is_flag=True, help="Parse and report; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
@with_appcontext
def import_command(
    file: Path, format_name: str, bank_name: str, category: str | None, dry_run: bool, as_json: bool
) -> None:
    """Import questions from FILE: all of them in one transaction, or none."""
    data = file.read_bytes()
    try:
        result = read_paper(data, file.name, format_name)
    except UploadRefused as refused:
        result = refusal_result(data, file.name, format_name, refused)
    output = result.to_json()
    if not dry_run and result.ok:
        output.update(_write(result, bank_name, category))
    if as_json:
        click.echo(json.dumps(output, ensure_ascii=False))
    else:
        _report(file, result, output.get("imported"))
    sys.exit(0 if result.ok else 1)


def _write(result: ImportResult, bank_name: str, category: str | None) -> dict[str, object]:
    """Store the questions, leaving out exact repeats of questions the bank already has."""
    from training.bank.importing import build_preview, commit_import
    from training.bank.services import ensure_bank

    try:
        with transaction():
            target = ensure_bank(bank_name)
            repeats = build_preview(result, target).suggested_exclusions
            questions = (
                commit_import(target, result, excluded=repeats, category=category)
                if len(repeats) < len(result.questions)
                else []
            )
    except DomainError as error:
        raise click.ClickException(error.message) from error
    return {"bank": target.name, "imported": len(questions), "skipped_duplicates": len(repeats)}


def _report(file: Path, result: ImportResult, imported: object) -> None:
    for problem in result.problems:
        where = f"line {problem.line}" if problem.line else "file"
        click.echo(f"{file.name}: {where}: {problem.severity}: {translate_pure(problem.message)}", err=True)
    click.echo(f"{result.format}: {len(result.questions)} question(s) parsed")
    if imported is not None:
        click.echo(f"imported {imported} question(s)")
