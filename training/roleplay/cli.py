"""`servicecoach scenario …`: role-play scenario files from the command line.

`validate FILE --json` prints exactly `graph.Check.as_json()`; a file that cannot be read prints
the same shape with its problems (each message naming its line) and no figures. The exit status
is 0 when the file is valid (warnings allowed), 1 otherwise.

`import FILE...` saves the files in one transaction: all of them, or (any problem in any file,
each printed as FILE:LINE) none. `export` writes each scenario's latest version as the file it
was saved from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from training.database import transaction
from training.i18n import translate_pure
from training.roleplay import graph
from training.roleplay.errors import ImportRefused
from training.roleplay.services import export_all, import_sources
from training.roleplay.yaml_format import Problem, ScenarioFileError, load, node_lines


@click.group()
def scenario() -> None:
    """Role-play scenarios: check, import and export scenario files (YAML)."""


@scenario.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def validate(file: Path, as_json: bool) -> None:
    """Check a scenario file without saving it: every problem, reachable scores, paths."""
    text = file.read_text(encoding="utf-8")
    payload = validation(text, file.name)
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print(payload, file.name, node_lines(text))
    click.get_current_context().exit(0 if payload["valid"] else 1)


def validation(text: str, source: str = "") -> dict[str, Any]:
    """The `validate --json` object for a file's text."""
    try:
        scenario = load(text, source)
    except ScenarioFileError as error:
        problems = [_file_problem(problem) for problem in error.problems]
        return graph.Check(problems, None, None, 0, 0).as_json()
    return graph.check(scenario).as_json()


def _file_problem(problem: Problem) -> graph.Problem:
    """A reading problem in the validate shape: its line and field lead the message."""
    where = [f"第 {problem.line} 行" if problem.line else "", problem.field]
    prefix = " · ".join(part for part in where if part)
    message = f"{prefix}: {problem.message}" if prefix else problem.message
    return graph.Problem(problem.node, problem.severity, message)


def _print(payload: dict[str, Any], name: str, lines: dict[str, int]) -> None:
    for problem in payload["problems"]:
        line = lines.get(problem["node"] or "")
        where = f"{name}:{line}" if line else name
        click.echo(
            f"{where}: {problem['severity']}: {problem['node'] or '-'}: {problem['message']}"
        )
    verdict = "valid" if payload["valid"] else "invalid"
    click.echo(
        f"{name}: {verdict}; scores {payload['min_score']}–{payload['max_score']}, "
        f"{payload['endings']} ending(s), {payload['paths']} path(s)"
    )


@scenario.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@with_appcontext
def import_files(files: tuple[Path, ...]) -> None:
    """Import scenario files (new key: new scenario; known key: new or replaced version)."""
    sources = [(str(file), file.read_text(encoding="utf-8")) for file in files]
    try:
        with transaction():
            saved = import_sources(sources, actor=None)
    except ImportRefused as error:
        for name, problems in error.files:
            for problem in problems:
                click.echo(_located(name, problem), err=True)
        raise click.ClickException(error.message) from error
    for version in saved:
        click.echo(f"{version.scenario.key}: {version.scenario.title} (v{version.number})")


def _located(name: str, problem: Problem) -> str:
    """FILE:LINE: node · field: message, as compilers print them (editors jump to the line)."""
    where = " · ".join(part for part in (problem.node, problem.field) if part)
    place = f"{name}:{problem.line}" if problem.line else name
    message = translate_pure(problem.message)  # the default language: the CLI has no reader
    return f"{place}: {where}: {message}" if where else f"{place}: {message}"


@scenario.command("export")
@click.argument("keys", nargs=-1)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write KEY.yaml files into; without it one scenario goes to stdout.",
)
@with_appcontext
def export(keys: tuple[str, ...], out: Path | None) -> None:
    """Export scenarios (all, or those KEYS) as scenario files."""
    found = [s for s in export_all() if not keys or s.key in keys]
    missing = set(keys) - {s.key for s in found}
    if missing:
        raise click.ClickException(f"unknown scenario key(s): {', '.join(sorted(missing))}")
    if out is None:
        if len(found) != 1:
            raise click.ClickException("give --out DIR to export more than one scenario")
        click.echo(found[0].latest.source, nl=False)
        return
    out.mkdir(parents=True, exist_ok=True)
    for scenario_row in found:
        (out / f"{scenario_row.key}.yaml").write_text(scenario_row.latest.source, encoding="utf-8")
        click.echo(f"{out / scenario_row.key}.yaml")
