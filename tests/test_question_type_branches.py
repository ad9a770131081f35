"""No code outside the type registry branches on question type names.

Lists of type names kept by features drifted apart (two `OBJECTIVE_TYPES` with different
members); templates and scripts showed true/false answers in two wordings. Features ask the
type (`question_bank.types`: `get_type(name).objective`, `type_names(keyable=True)`,
`answer_kind`) and pages draw a question from `templates/questions/<answer_kind>.html`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from question_bank.model import QUESTION_TYPES
from question_bank.types import AnswerKind

ROOT = Path(__file__).resolve().parent.parent
NAME = "|".join(QUESTION_TYPES)
QUOTED = rf"""["']({NAME})["']"""
BRANCHES = {
    # NAME = ("single", ...) or frozenset({"short_answer", ...}); a dict keyed by names is fine
    "a named set of types": re.compile(
        rf"^\s*\w+\s*(?::[^=\n]*)?=\s*(?:(?:frozenset|set|tuple|list)\()?\s*[\[({{]\s*{QUOTED}\s*[,)}}\]]",
        re.M,
    ),
    "a comparison with a type name": re.compile(rf"(?:===?|!==?)\s*{QUOTED}|{QUOTED}\s*(?:===?|!==?)"),
    "a literal list of type names": re.compile(rf"{QUOTED}\s*,\s*{QUOTED}"),
    "data-show-for, which listed type names": re.compile(r"data-show-for"),
}


def _sources() -> list[Path]:
    return sorted([
        *(ROOT / "training").rglob("*.py"),
        *(ROOT / "templates").rglob("*.html"),
        *(ROOT / "static" / "js").rglob("*.js"),
    ])


def test_the_scan_covers_features_templates_and_scripts():
    names = {path.name for path in _sources()}
    assert {"queries.py", "take.html", "exam.js", "bank.js"} <= names


@pytest.mark.parametrize("path", _sources(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_feature_template_or_script_branches_on_type_names(path):
    text = path.read_text(encoding="utf-8")
    found = [
        f"{what}: {match.group(0).strip()!r}"
        for what, pattern in BRANCHES.items()
        for match in pattern.finditer(text)
    ]
    assert not found, "ask the question type (question_bank.types) instead: " + "; ".join(found)


def test_question_bank_defines_type_sets_only_in_the_registry():
    definitions = BRANCHES["a named set of types"]
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "question_bank").rglob("*.py")
        if path.relative_to(ROOT).as_posix() != "question_bank/model.py"  # QUESTION_TYPES
        for match in definitions.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


@pytest.mark.parametrize("kind", list(AnswerKind))
def test_every_answer_kind_has_its_templates(kind):
    template = (ROOT / "templates" / "questions" / f"{kind}.html").read_text(encoding="utf-8")
    for macro in ("exam_input", "practice_input", "response", "key"):
        assert f"macro {macro}(" in template, macro
