"""What the scanner hands on: question blocks, answer-key regions and sections, in order.

A block is the text of one numbered question, line by line. While it is read it keeps its
phase — stem, options, answer or explanation — which decides what may still belong to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from question_bank.formats.cn_text.numbering import ReadingState
from question_bank.formats.cn_text.options import starts_options
from question_bank.formats.cn_text.sections import Section
from question_bank.formats.cn_text.vocabulary import BLANK, MARKERS, TF_WORD, fold
from question_bank.model import Problem
from question_bank.types import get_type

# A whole answer that is letters or a √/× mark: an objective question's answer.
OBJECTIVE_ANSWER = re.compile(rf"^\s*(?:[A-Ha-h](?:[\s,、]*[A-Ha-h])*|{TF_WORD})\s*[。.]?\s*$")


@dataclass
class Block:
    """The text of one numbered question, line by line, and where it stands in the paper."""

    number: int
    line: int
    section: Section | None
    paper: int
    run: int
    gap: tuple[int, int] | None = None
    instruction: bool = False
    lost: bool = False
    parts: list[tuple[int, str]] = field(default_factory=list)
    phase: str = "stem"
    answer_text: str = ""
    closed: bool = False

    @property
    def kind(self) -> str | None:
        return self.section.type if self.section else None

    @property
    def subjective_section(self) -> bool:
        """Whether its section declares a subjective type; '选择题' ('choice', single or
        multiple as each answer decides) is no registered type but objective."""
        return self.kind is not None and self.kind != "choice" and not get_type(self.kind).objective

    @property
    def subjective(self) -> bool:
        """A subjective question, or an untyped one with neither options nor blanks."""
        if self.kind is not None:
            return self.subjective_section
        return self.phase == "stem" and not BLANK.search(fold(self.text))

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.parts)

    @property
    def answered(self) -> bool:
        """Whether an answer marker has been read (even if an explanation followed)."""
        return any(m.lastgroup == "answer" for m in MARKERS.finditer(fold(self.text)))

    def add(self, line: int, text: str) -> None:
        """Append a fragment and note whether options, an answer or an explanation began."""
        self.parts.append((line, text))
        self.phase, self.answer_text = _advance(self.phase, self.answer_text, text)

    def line_of(self, offset: int) -> int:
        """The source line of a character offset into `text`."""
        for line, text in self.parts:
            if offset <= len(text):
                return line
            offset -= len(text) + 1
        return self.parts[-1][0] if self.parts else self.line

    def cut(self, cuts: list[tuple[int, int]]) -> list[Block]:
        """The block cut where one question ends and the next begins (offsets into `text`):
        itself up to the first, then a block per question that lost its number, numbered
        after it as a guess."""
        pieces: list[Block] = []
        starts = [0, *(start for _, start in cuts)]
        ends = [*(end for end, _ in cuts), len(self.text) + 1]
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            line = self.line if index == 0 else self.line_of(start)
            piece = replace(self, number=self.number + index, line=line, parts=[])
            piece.lost, piece.gap = self.lost or index > 0, self.gap if index == 0 else None
            for part_line, text in self._slice(start, end):
                piece.add(part_line, text)
            if index > 0:
                _own_number(piece)
            pieces.append(piece)
        return pieces

    def _slice(self, start: int, end: int) -> list[tuple[int, str]]:
        """The (line, text) parts between two offsets into `text`."""
        found, offset = [], 0
        for line, text in self.parts:
            low, high = max(start - offset, 0), min(end - offset, len(text))
            if low < high and text[low:high].strip():
                found.append((line, text[low:high]))
            offset += len(text) + 1
        return found

    def reading_state(self, pending: str = "") -> ReadingState:
        """Complete / answering, as if `pending` (text before a number on the same line)
        had already been added."""
        if self.closed:
            return ReadingState(complete=True)
        phase, answer = _advance(self.phase, self.answer_text, pending)
        answering = phase == "answer" and not OBJECTIVE_ANSWER.match(fold(answer))
        explaining = phase == "explanation"
        return ReadingState(complete=phase != "stem", answering=answering, explaining=explaining)


def _own_number(piece: Block) -> None:
    """A cut-off question that still opens with the number it was guessed ('3.服务无形。',
    a number glued on the numbering did not accept) has its number after all."""
    line, text = piece.parts[0]
    number = re.match(rf"\s*{piece.number}\s?[.、](?!\d)", fold(text))
    if number is not None:
        piece.parts[0] = (line, text[number.end() :])
        piece.lost = False


def _advance(phase: str, answer: str, text: str) -> tuple[str, str]:
    """The phase of a question after `text`, and the answer text read since its marker."""
    folded, position = fold(text), 0
    if phase in ("stem", "options") and starts_options(folded):
        phase = "options"
    for mark in MARKERS.finditer(folded):
        phase = "answer" if mark.lastgroup == "answer" else "explanation"
        answer, position = "", mark.end()
    if phase == "answer":
        answer += text[position:]
    return phase, answer


@dataclass
class KeyRegion:
    """An answer key: its lines and the paper whose questions it answers."""

    paper: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    last_ordinal: int | None = None
    pending_header: int | None = None


@dataclass
class Scan:
    """Everything the scanner found, in source order."""

    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    keys: list[KeyRegion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
