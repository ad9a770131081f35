"""Moodle's embedded-answers (cloze) codes, for the short-answer blanks the bank can hold.

    会员等级分为 {1:SHORTANSWER:=金卡~=金} 和 {1:SA:=银卡~%50%银} 两种

Only short-answer codes (SHORTANSWER, SA, MW and the case-sensitive SHORTANSWER_C, SAC, MWC)
become blanks; a choice or numerical code raises `UnsupportedCloze` naming it. Full-credit
answers (`=` or `%100%`) are the accepted alternatives; partial-credit ones are counted so the
importer can say they were dropped; `#feedback` is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.formats._shared import BLANK, backslash_escape, split_unescaped
from question_bank.texts import N_

SHORT_ANSWER_CODES = frozenset({"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"})
_CODE = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^\\}])*)\}")
_ANSWER = re.compile(r"(=|%(-?\d+(?:\.\d+)?)%)?((?:\\.|[^\\#])*)", re.DOTALL)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_SPECIAL = '\\}#~/"'


class UnsupportedCloze(ValueError):
    """A cloze code the bank cannot hold (choice, numerical...)."""


@dataclass
class Cloze:
    """A cloze text read back: the stem with ____ blanks, one answer list per blank."""

    stem: str
    blanks: list[list[str]]
    dropped: int


def read_cloze(text: str) -> Cloze:
    """Replace every short-answer code by ____ and collect its full-credit answers."""
    blanks: list[list[str]] = []
    dropped = 0
    for code in _CODE.finditer(text):
        kind = code.group(2).upper()
        if kind not in SHORT_ANSWER_CODES:
            raise UnsupportedCloze(N_("不支持的题型: 含 %(kind)s 空的完形填空", kind=kind))
        accepted, partial = _answers(code.group(3))
        blanks.append(accepted)
        dropped += partial
    return Cloze(_CODE.sub(BLANK, text), blanks, dropped)


def _answers(body: str) -> tuple[list[str], int]:
    accepted, partial = [], 0
    for _, alternative in split_unescaped(body, "~"):
        match = _ANSWER.match(alternative)
        assert match is not None  # every part of _ANSWER is optional: it matches any text
        full = match.group(1) == "=" or match.group(2) in ("100", "100.0")
        text = _ESCAPED.sub(r"\1", match.group(3)).strip()
        if full and text:
            accepted.append(text)
        elif text:
            partial += 1
    return accepted, partial


def cloze_code(alternatives: list[str]) -> str:
    """The short-answer code accepting every alternative, each for full credit."""
    escaped = ("=" + backslash_escape(alternative, _SPECIAL) for alternative in alternatives)
    return "{1:SHORTANSWER:" + "~".join(escaped) + "}"
