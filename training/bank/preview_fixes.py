"""Hand fixes in the import preview: the buttons a trainer presses to retype, merge or split
questions the importer read wrongly, carried from one preview page to the next.

The fixes themselves are pure (`question_bank.import_fixes`); this module reads them from the
posted form and cuts the source into the lines each question came from, for showing beside it.
"""

from __future__ import annotations

from collections.abc import Mapping

from question_bank.formats.cn_text import split_lines
from question_bank.formats.encoding import decode_text
from question_bank.import_fixes import Fix, load_fixes
from question_bank.model import QUESTION_TYPES, ImportResult

FIXES_FIELD = "fixes"
BUTTON = "fix"


def text_lines(data: bytes, fmt: str) -> list[str]:
    """The source lines as the cn-text importer counts them; other formats cannot be split."""
    return split_lines(decode_text(data).text) if fmt == "cn-text" else []


def posted_fixes(form: Mapping[str, str]) -> tuple[list[Fix], bool]:
    """The fixes made so far plus the one whose button was just pressed (and whether one was:
    then the page is shown again instead of importing)."""
    fixes = load_fixes(form.get(FIXES_FIELD))
    pressed = _pressed(form.get(BUTTON, ""), form)
    return ([*fixes, pressed], True) if pressed else (fixes, False)


def _pressed(value: str, form: Mapping[str, str]) -> Fix | None:
    """'merge:3', 'split:3:17' or 'type:3' (with the chosen type in 'type-3'); anything else,
    such as a forged type name, is no fix."""
    op, _, rest = value.partition(":")
    index, _, line = rest.partition(":")
    if not index.isdigit():
        return None
    kind = form.get(f"type-{index}")
    if op == "type" and kind in QUESTION_TYPES:
        return Fix("type", int(index), kind=kind)
    if op == "split" and line.isdigit():
        return Fix("split", int(index), line=int(line))
    return Fix("merge", int(index)) if op == "merge" else None


def question_sources(result: ImportResult, lines: list[str]) -> list[list[tuple[int, str]]]:
    """For each question, the numbered source lines it was read from (up to the next one)."""
    starts = [q.source.line for q in result.questions]
    sources = []
    for position, start in enumerate(starts):
        if not start or not lines:
            sources.append([])
            continue
        following = [s for s in starts[position + 1 :] if s and s > start]
        end = min(following, default=len(lines) + 1)
        sources.append([(n, lines[n - 1]) for n in range(start, end) if lines[n - 1].strip()])
    return sources
