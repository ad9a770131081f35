"""Spreadsheet cells that never run as formulas, for every Excel or CSV file the app writes.

A cell whose text starts with `=`, `+`, `-`, `@` (or a tab / carriage return) is a formula to
Excel, LibreOffice and most CSV readers: a question stem or a learner's name could run one
(`=HYPERLINK(...)`, DDE). Such text is written with the usual `'` guard in front, as OWASP
recommends (a guarded value is plain text to openpyxl too). Our own importer strips the guard again, so an exported
bank re-imports unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def guard_formula(text: str) -> str:
    """'=1+1' → "'=1+1"; other text unchanged.

    Text that already looks guarded ("'=x") gets a guard too, so unguard_formula always gives
    back exactly what was written.
    """
    return GUARD + text if text.startswith(FORMULA_STARTS) or _looks_guarded(text) else text


def unguard_formula(text: str) -> str:
    """Undo guard_formula: "'=1+1" → '=1+1'. A quote before anything else is kept."""
    return text[len(GUARD):] if _looks_guarded(text) else text


def _looks_guarded(text: str) -> bool:
    rest = text.removeprefix(GUARD)
    return rest != text and (rest.startswith(FORMULA_STARTS) or _looks_guarded(rest))


def text_cells(values: Iterable[object]) -> list[object]:
    """A row for Worksheet.append or csv.writer: text guarded, other values as they are."""
    return [guard_formula(value) if isinstance(value, str) else value for value in values]
