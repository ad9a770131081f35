"""Question numbers: which '12.' starts a question and which is a list item or a decimal.

A number opening a line starts a question when it continues the paper's numbering (the next
number, a small jump, or a restart at 1 once the last question is complete). A number glued to
the previous text ('…D.xx2.下列…') must be exactly the next number. Inside a reference answer,
'1. 2. 3.' enumerations are recognised as such, and a style the paper does not use for its
questions ('(1)' under '1.' numbering) is a sub-item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_GAP = 10

_NUMBER = re.compile(
    r"(?P<ti>第\s*(?P<n_ti>\d{1,4})\s*题\s*[.、:]?)"
    r"|(?P<paren>\(\s*(?P<n_paren>\d{1,3})\s*\))"
    # '2.2025年新版…' is question 2 about the year 2025, not the decimal 2.2025
    r"|(?P<plain>(?<![\d.])(?P<n_plain>\d{1,4})\s?[.、](?!(?!(?:19|20)\d\d年)[\d.]))"
)
# '31服务…' (a typo for '31.服务…'), but not '2小题', '3分', '5个'.
_BARE = re.compile(
    r"(?P<n_bare>\d{1,3})(?!小题|题|分|个|年|月|日|天|元|次|种|项|条|人|位|名|部分)"
    r"(?=[\u4e00-\u9fff“\"《])"
)
_EXAMPLE = re.compile(r"例\s*题?\s*\d*\s*[:：]?\s*$")
_EXAMPLE_WINDOW = 12
_YEAR = re.compile(r"\s*(?:19|20)\d\d年")
_DIGIT_LIST = re.compile(r"\d\s*[、,，.]\s*$")
# '5.16-8*2=16,这个算式正确吗?': question 5 about a sum, which reads like the decimal 5.16.
_DECIMAL_START = re.compile(r"\s*(?P<n_decimal>\d{1,3})\.(?=\d)")
_FAMILIES = {"ti": "ti", "paren": "paren", "plain": "plain", "bare": "plain", "decimal": "plain"}


@dataclass(frozen=True)
class Candidate:
    """A number that may start a question, found in a folded line."""

    number: int
    start: int
    end: int
    style: str
    example: bool = False

    @property
    def family(self) -> str:
        return _FAMILIES[self.style]


@dataclass
class Numbering:
    """The numbering of the current paper, as far as it has been read."""

    last: int | None = None
    family: str | None = None
    fresh: bool = False
    enumeration: int | None = None

    def restart(self) -> None:
        """A new paper: its numbering owes nothing to the previous one."""
        self.last, self.family, self.fresh, self.enumeration = None, None, False, None

    def open_section(self) -> None:
        """After a section header the next number opens the section's first question."""
        self.fresh, self.enumeration = True, None

    def accept(
        self, cand: Candidate, at_start: bool, state: ReadingState, upcoming: Iterator[int]
    ) -> bool:
        """Whether `cand` starts a question, given the state of the question being read."""
        if cand.example:
            return True
        if cand.style == "decimal":
            return at_start and self._decimal_is_number(cand, upcoming)
        if self.fresh:
            return at_start and self._opens_section(cand, upcoming)
        if self.last is None:
            return at_start and cand.style != "bare"
        if self.family is not None and cand.family != self.family:
            return False
        # '【解析】1.…2.…3.…': a list inside an explanation, glued on, is no question
        enumerating = state.answering or (state.explaining and not at_start)
        if enumerating and self._enumerates(cand, upcoming):
            return False
        return self._continues(cand, at_start, state)

    def _opens_section(self, cand: Candidate, upcoming: Iterator[int]) -> bool:
        """The paper's next number, or a number in the paper's style (sections may restart at
        1); another style only if the next number follows it ('（1）…（2）…')."""
        if cand.style == "bare":
            return self.last is not None and cand.number == self.last + 1
        if cand.number == self._next() or self.family in (None, cand.family):
            return True
        return next(upcoming, None) == cand.number + 1

    def _decimal_is_number(self, cand: Candidate, upcoming: Iterator[int]) -> bool:
        """A line opening with what reads as a decimal is a question only when it is exactly the
        next number and the next number after it follows."""
        return cand.number == self._next() and next(upcoming, None) == cand.number + 1

    def advance(self, cand: Candidate) -> None:
        """Record an accepted question number."""
        self.last, self.family, self.fresh, self.enumeration = cand.number, cand.family, False, None

    def _next(self) -> int:
        return self.last + 1 if self.last is not None else 1

    def _continues(self, cand: Candidate, at_start: bool, state: ReadingState) -> bool:
        """The next number; at a line start also a small jump (a question lost its number),
        unless a reference answer is enumerating; or 1 / a repeat after a complete question."""
        expected = self._next()
        if cand.number == expected:
            return True
        if not at_start or cand.style == "bare":
            return False
        if state.answering and self.enumeration is not None:
            return False
        if expected < cand.number <= expected + MAX_GAP:
            return True
        return state.complete and not state.answering and cand.number in (1, expected - 1)

    def _enumerates(self, cand: Candidate, upcoming: Iterator[int]) -> bool:
        """'1.' after 答: opens an enumeration, '2.' continues it rather than the paper.

        When the enumeration reaches the next question's number, read ahead: an enumeration
        runs on (k, k+1, ...) and is followed by the real question k.
        """
        if cand.number == 1:
            self.enumeration = 2
            return True
        if cand.number != self.enumeration:
            return False
        self.enumeration = cand.number + 1
        return cand.number != self._next() or _run_returns_to(cand.number, upcoming)


@dataclass(frozen=True)
class ReadingState:
    """What the numbering needs to know about the question being read."""

    complete: bool = False
    answering: bool = False
    explaining: bool = False


def _run_returns_to(number: int, upcoming: Iterator[int]) -> bool:
    previous = number
    for following in upcoming:
        if following != previous + 1:
            return following == number
        previous = following
    return False


def candidates(folded: str, start: int) -> list[Candidate]:
    """Every number in the line from `start` on that might open a question, in order; a
    number without separator ('31服务') only right at `start`."""
    found = [_candidate(m, folded) for m in _NUMBER.finditer(folded, start)]
    bare = _BARE.match(folded, start)
    if bare and not (found and found[0].start == start):
        found.insert(0, Candidate(int(bare.group("n_bare")), start, bare.end(), "bare"))
    return found


def decimal_at_start(folded: str) -> list[Candidate]:
    """The number of a line that opens with a decimal ('5.16-8…'), which `accept` takes only
    where the numbering expects it."""
    match = _DECIMAL_START.match(folded)
    if match is None:
        return []
    return [Candidate(int(match.group("n_decimal")), match.start(1), match.end(), "decimal")]


def glued_ok(folded: str, cand: Candidate, family: str | None = None) -> bool:
    """A number inside a line: not part of a list like '1、2、3' and followed by text; '(2)'
    only where the paper numbers its questions so (otherwise it is a sub-item)."""
    before = folded[max(0, cand.start - 4) : cand.start]
    after = folded[cand.end : cand.end + 2].lstrip()
    if (cand.style == "paren" and family != "paren") or _DIGIT_LIST.search(before):
        return False
    return not after[:1].isdigit() or bool(_YEAR.match(folded, cand.end))


def _candidate(match: re.Match[str], folded: str) -> Candidate:
    style = match.lastgroup or "plain"
    number = int(match.group(f"n_{style}"))
    # only the few characters before the number: a flattened paper is one very long line
    example = bool(_EXAMPLE.search(folded, max(0, match.start() - _EXAMPLE_WINDOW), match.start()))
    return Candidate(number, match.start(), match.end(), style, example)
