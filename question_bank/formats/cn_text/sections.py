"""Section headers: 一、单项选择题(本大题共15小题,每小题1分,共15分) sets type and points.

A header at the start of a line may omit its ordinal (判断题：, 【多选题】); a header inside a
line (text pasted as one paragraph) needs its ordinal, so prose that merely mentions 判断题 is
not mistaken for one. The header ends where its first question begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.formats.cn_text.vocabulary import (
    CN_ORDINAL,
    ROMAN_ORDINAL,
    SECTION_NAME,
    cn_number,
    section_type,
)

_ORDINAL = rf"(?P<ordinal>[{CN_ORDINAL}]{{1,3}}|[{ROMAN_ORDINAL}]|[IVX]{{1,4}}(?=\s*[.、]))"
_PREFIX = (
    rf"(?:第(?P<part>[{CN_ORDINAL}\d]{{1,3}})部分\s*[:、.]?\s*"
    rf"|{_ORDINAL}\s*[、.,:]\s*"
    rf"|\((?P<paren>[{CN_ORDINAL}]{{1,3}})\)\s*)"
)
_NAME = rf"[【\[]?\s*(?P<name>{SECTION_NAME})\s*[】\]]?"
_AT_START = re.compile(rf"^\s*{_PREFIX}?{_NAME}")
# Glued to anything but another ordinal: '…试题及答案一、单选题(…)1.…' as pages flatten it.
_INLINE = re.compile(rf"(?<![{CN_ORDINAL}第])(?P<inline>[{CN_ORDINAL}]{{1,3}})\s*[、.]\s*{_NAME}")
# What may follow a header that has no ordinal: nothing, a bracket, a colon, a number.
_BARE_TAIL = re.compile(r"\s*(?:$|[(\[【:,.。;]|\s|每|共|本|\d)")
_FIRST_QUESTION = re.compile(
    r"(?:(?<=[\s)\]】。.:;题])|^)(?:第\s*\d{1,4}\s*题|\d{1,4}\s*[.、](?!\d)|\(\d{1,3}\))"
)
# '(共60题,每题1分)' right after the name: the description ends with its bracket, whatever
# is glued on after it.
_BRACKETED = re.compile(r"\s*:?\s*\([^()]*\)")
_EACH = re.compile(
    r"每(?:小)?[题道]\s*(?:均为|为)?\s*(\d+(?:\.\d+)?)\s*分|(\d+(?:\.\d+)?)\s*分\s*/\s*[题道]"
)
_PER_BLANK = re.compile(r"每空\s*(\d+(?:\.\d+)?)\s*分")
_COUNT = re.compile(r"共\s*(\d+)\s*(?:小|道)?题|(\d+)\s*(?:小|道)题")
_TOTAL = re.compile(
    r"(?:共|合计|满分|计|总分)\s*(\d+(?:\.\d+)?)\s*分|(\d+(?:\.\d+)?)\s*分\s*\)?\s*$"
)


@dataclass(eq=False)
class Section:
    """One section of one paper: its name as written, the type it implies and its points.

    Compared by identity: two papers may both have a 单项选择题 section with the same points.
    """

    name: str
    type: str
    line: int
    paper: int
    ordinal: int | None = None
    each: float | None = None
    per_blank: float | None = None
    total: float | None = None
    count: int | None = None


@dataclass(frozen=True)
class HeaderMatch:
    """Where a header sits in a folded line and where the questions after it start."""

    start: int
    end: int
    name: str
    ordinal: int | None
    description: str
    name_span: tuple[int, int]


def header_at_start(folded: str) -> HeaderMatch | None:
    """A header opening the line, with or without its ordinal."""
    match = _AT_START.match(folded)
    if not match:
        return None
    ordinal = _ordinal(match)
    if ordinal is None and not _BARE_TAIL.match(folded, match.end()):
        return None
    return _finish(folded, match, ordinal)


def headers_inline(folded: str, start: int) -> list[HeaderMatch]:
    """Headers with an ordinal in the middle of a line: '…D.xx 二、名词解释(每题5分) 1、…'."""
    return [
        _finish(folded, m, cn_number(m.group("inline"))) for m in _INLINE.finditer(folded, start)
    ]


def new_section(header: HeaderMatch, text: str, line: int, paper: int) -> Section:
    """The section a header found in `text` opens, named as written (單選題 stays 單選題),
    with the points its description announces."""
    written = text[slice(*header.name_span)]
    section = Section(written, section_type(header.name), line, paper, header.ordinal)
    announce(section, header.description)
    return section


def announce(section: Section, description: str) -> None:
    """Points and question count from '(本大题共15小题,每小题1分,共15分)'."""
    section.each = _number(_EACH.search(description))
    section.per_blank = _number(_PER_BLANK.search(description))
    section.total = _number(_TOTAL.search(description))
    section.count = _count(description)


def unclosed(description: str) -> bool:
    """A description whose bracket closes on the next line (the header wrapped)."""
    return description.count("(") > description.count(")")


def _ordinal(match: re.Match[str]) -> int | None:
    raw = match.group("ordinal") or match.group("paren") or match.group("part")
    if raw is None:
        return None
    if raw.isdigit():
        return int(raw)
    if raw[0] in "IVX":
        return _roman(raw)
    return cn_number(raw)


def _roman(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for char, after in zip(text, text[1:] + " ", strict=True):
        value = values[char]
        total += -value if values.get(after, 0) > value else value
    return total or None


def _finish(folded: str, match: re.Match[str], ordinal: int | None) -> HeaderMatch:
    """Extend the header over its description, up to the first question on the line."""
    bracket = _BRACKETED.match(folded, match.end())
    first = _FIRST_QUESTION.search(folded, match.end())
    end = first.start() if first else len(folded)
    if bracket and folded[bracket.end() : end].strip(" 。.:;,"):
        end = bracket.end()
    name, description = match.group("name"), folded[match.end() : end]
    return HeaderMatch(match.start(), end, name, ordinal, description, match.span("name"))


def _number(match: re.Match[str] | None) -> float | None:
    if match is None:
        return None
    return float(next(g for g in match.groups() if g is not None))


def _count(text: str) -> int | None:
    match = _COUNT.search(text)
    return int(next(g for g in match.groups() if g is not None)) if match else None
