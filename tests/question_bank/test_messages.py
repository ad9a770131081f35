"""question_bank's messages read in one language: Chinese as written, English from the catalogue.

The older messages glossed themselves ("选项 F 不存在 (answer label not among options)"), so a
reader saw two languages at once. Every text of the package is scanned for that pattern, and the
messages that nest another (a spreadsheet row's "第 4 行, %(error)s") are translated whole.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from question_bank.formats import parse
from question_bank.formats.spreadsheet import parse_csv
from training.i18n import translate_pure

PACKAGE = Path(__file__).resolve().parents[2] / "question_bank"
CJK = re.compile(r"[\u4e00-\u9fff]")
# "(answer label not among options)", "(no key, skipped)": a parenthesised English phrase
GLOSS = re.compile(r"[(（][^()（）]*[A-Za-z]{3,}[^()（）]*[)）]")
PLACEHOLDER = re.compile(r"%\(\w+\)s")
REGEX = re.compile(r"\(\?|\\[sdSwb(]")  # patterns, not messages


def _texts(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module (f-strings by their fixed text), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "{}".join(v.value for v in node.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if id(node) not in docstrings:
            found.append((node.lineno, text))
    return found


def test_no_message_glosses_chinese_with_english_in_brackets():
    mixed = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in _texts(path)
        if CJK.search(text) and not REGEX.search(text)
        and GLOSS.search(PLACEHOLDER.sub("", text))
    ]
    assert mixed == []


def test_the_scan_finds_the_old_style():
    assert GLOSS.search("答案: 选项 F 不存在 (answer label not among options)")
    assert not GLOSS.search(PLACEHOLDER.sub("", "答案: 选项 %(label)s 不存在"))


@pytest.mark.parametrize(("locale", "expected"), [
    ("zh", "第 3 行, 答案: 选项 F 不存在"),
    ("en", "Row 3, Answer: option F does not exist"),
])
def test_a_spreadsheet_row_reads_in_one_language(app, locale, expected):
    data = "题型,题干,选项A,选项B,答案\n单选,甲,一,二,F\n单选,乙,一,二,F\n".encode()
    message = parse_csv(data).problems[-1].message
    with app.test_request_context(), force_locale(locale):
        assert translate_pure(message) == expected


@pytest.mark.parametrize(("text", "english"), [
    ("甲?\nA. 1\nB. 2\nANSWER: F\n",
     "ANSWER must be one of the option letters A/B, found 'F': not imported"),
    ("::t:: 匹配 {=a -> 1 =b -> 2}\n", "Unsupported question type: matching {… -> …}"),
])
def test_import_problems_of_other_formats_have_english(app, text, english):
    problems = parse(text.encode(), "a.aiken" if "ANSWER" in text else "a.gift").problems
    with app.test_request_context(), force_locale("en"):
        assert [translate_pure(p.message) for p in problems] == [english]
