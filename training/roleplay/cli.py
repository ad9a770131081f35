"""`servicecoach scenario …`: role-play scenario files from the command line.

`validate FILE --json` prints exactly `graph.Check.as_json()`; a file that cannot be read prints
the same shape with its problems (each message naming its line) and no figures. The exit status
is 0 when the file is valid (warnings allowed), 1 otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from training.roleplay import graph
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
