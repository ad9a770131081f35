"""One level's rule as the YAML HR types in the level form: the `rule:` part of the level file
(`rule_yaml`, FORMAT.md), so what the form shows is what `cert export` writes and `cert import`
reads, names and all.

The file's reader reads whole levels, so the rule is read as the rule of a placeholder level,
and the problems' lines are moved back to the lines of the text HR typed.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

from training.certification import rule_yaml
from training.certification.rules import Rule
from training.certification.services import name_of, resolve_name
from training.yaml_lines import Problem

_HEAD = "- code: form\n  name: form\n  rule:\n"
_HEAD_LINES = _HEAD.count("\n")
_INDENT = "    "


class RuleTextError(ValueError):
    """The typed rule cannot be taken; `problems` says why, each at its line of the text."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def read_rule(text: str) -> Rule:
    """The rule the text describes, names resolved to ids; raises `RuleTextError`."""
    document = _HEAD + textwrap.indent(text.replace("\t", "  ").rstrip() + "\n", _INDENT)
    try:
        [spec] = rule_yaml.parse(document)
        return rule_yaml.resolve(spec.rule, resolve_name)
    except rule_yaml.CertFileError as error:
        raise RuleTextError([_moved(problem) for problem in error.problems]) from error


def _moved(problem: Problem) -> Problem:
    line = problem.line
    if line is not None:
        line = max(1, line - _HEAD_LINES)
    return replace(problem, line=line, node=None, field=problem.field.removeprefix("rule."))


def rule_text(rule: Rule) -> str:
    """The rule as the form shows it: the `rule:` part of what `cert export` writes."""
    dumped = rule_yaml.dump([rule_yaml.Level("form", "form", rule)], name_of)
    lines = dumped.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  rule:"))
    inline = lines[start].removeprefix("  rule:").strip()
    if inline:
        return inline + "\n"
    return "\n".join(line.removeprefix(_INDENT) for line in lines[start + 1:]) + "\n"
