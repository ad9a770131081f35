"""Read a paper's lines into question blocks, section headers and answer-key regions.

Lines are read in order. A question number (see `numbering`) opens a block; the lines after it
belong to it while they continue it (see `continuation`). Section headers set the type and
points and may start a new paper; '参考答案' may open an answer key (see `key_regions`). Text
belonging to no question is loose: ignored, unless it shows a lost question (see `strays`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from question_bank.formats.cn_text.blocks import Block, KeyRegion, Scan
from question_bank.formats.cn_text.continuation import continues
from question_bank.formats.cn_text.key_regions import Reading, ends_key, is_key_heading
from question_bank.formats.cn_text.numbering import (
    Candidate,
    Numbering,
    ReadingState,
    candidates,
    decimal_at_start,
    glued_ok,
)
from question_bank.formats.cn_text.options import split_options, starts_options
from question_bank.formats.cn_text.sections import (
    HeaderMatch,
    Section,
    announce,
    header_at_start,
    headers_inline,
    new_section,
    unclosed,
)
from question_bank.formats.cn_text.strays import (
    LEADING_MARKS,
    WINDOW,
    lost_starts,
    shows_options,
    shows_statement_answer,
    stray_problem,
)
from question_bank.formats.cn_text.vocabulary import fold
from question_bank.model import Problem

_WRAPPED_LENGTH = 40
_PREAMBLE_END = re.compile(r"[*_)\]】:：,，]\s*$")
# 注意事项：1.本试卷共4页… — numbered instructions before the first section are no questions.
_NOTES = re.compile(r"\s*[【\[]?\s*(?:注意事项|考生须知|考试须知|答题须知|说明)\s*[】\]]?\s*:?\s*$")


def scan(lines: list[str]) -> Scan:
    """Read cleaned lines (index 0 is line 1) into blocks, sections and answer keys."""
    return _Scanner(lines).run()


class _Scanner:
    """The reading position: current paper, section, question, numbering and key."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.folded = [fold(line) for line in lines]
        self.lookahead = [candidates(folded, 0) for folded in self.folded]
        self.decimals = [decimal_at_start(folded) for folded in self.folded]
        self.result = Scan()
        self.numbering = Numbering()
        self.paper = 0
        self.paper_names: set[str] = set()
        self.section: Section | None = None
        self.current: Block | None = None
        self.key: KeyRegion | None = None
        self.run_id = 0
        self.blank = False
        self.loose = False
        self.stray: list[tuple[int, str]] = []
        self.stray_problems: dict[int, Problem] = {}
        self.guessed: int | None = None
        self.wrapped: str | None = None
        self.notes = False

    def run(self) -> Scan:
        for index, text in enumerate(self.lines):
            if not text:
                self.blank = True
                continue
            if self.key is None or not self._key_line(index):
                self._line(index, text)
            self.blank = False
        return self.result

    def _line(self, index: int, text: str) -> None:
        if is_key_heading(self._reading(), index):
            self._open_key(index)
        else:
            self._content(index, text)

    def _reading(self) -> Reading:
        last, family = self.numbering.last, self.numbering.family
        return Reading(self.folded, self.lookahead, last, family, self.current)

    # --- answer keys -------------------------------------------------------------------

    def _open_key(self, index: int) -> None:
        self._close()
        self.key = KeyRegion(self.paper)
        self.result.keys.append(self.key)
        self.key.lines.append((index + 1, self.lines[index]))

    def _key_line(self, index: int) -> bool:
        """Add a line to the open key; False when the line starts questions again."""
        assert self.key is not None
        folded = self.folded[index]
        header = header_at_start(folded)
        if header and header.ordinal is not None:
            if self.key.last_ordinal is not None and header.ordinal <= self.key.last_ordinal:
                return self._end_key()
            self.key.last_ordinal = header.ordinal
        elif ends_key(self._reading(), folded):
            return self._end_key()
        self.key.pending_header = index if header else None
        self.key.lines.append((index + 1, self.lines[index]))
        return True

    def _end_key(self) -> bool:
        """Questions again: a section header just read belongs to them, not to the key."""
        assert self.key is not None
        pending, self.key = self.key.pending_header, None
        self.loose = True
        if pending is not None:
            self.result.keys[-1].lines.pop()
            self._content(pending, self.lines[pending])
        return False

    # --- questions ---------------------------------------------------------------------

    def _content(self, index: int, text: str) -> None:
        """Split a line at section headers and accepted question numbers."""
        folded = self.folded[index]
        anchor = self._header_rest(folded)
        header = header_at_start(folded) if not anchor else None
        if header:
            self._open_section(header, index)
            anchor = header.end
            self.wrapped = header.description if unclosed(header.description) else None
        position, opened = anchor, False
        numbers = self.lookahead[index] if anchor == 0 else candidates(folded, anchor)
        if anchor == 0:
            numbers = [*self.decimals[index], *numbers]
        for event in _events(folded, anchor, numbers):
            if isinstance(event, HeaderMatch):
                self._fragment(index, text[position : event.start], opened)
                self._open_section(event, index)
                position = anchor = event.end
                opened = False
            elif self._accepts(
                index,
                event,
                not opened and not folded[anchor : event.start].strip(),
                text[position : event.start],
            ):
                self._fragment(index, text[position : event.start], opened)
                self._open_block(index, event)
                position, opened = event.end, True
        self._fragment(index, text[position:], opened)

    def _header_rest(self, folded: str) -> int:
        """The end of a header description wrapped onto this line ('…共' / '15小题…)')."""
        description, self.wrapped = self.wrapped, None
        close = folded.find(")")
        if description is None or self.section is None or not 0 <= close <= _WRAPPED_LENGTH:
            return 0
        first = candidates(folded, 0)[:1]
        if "(" in folded[:close] or any(c.start == 0 and c.style != "bare" for c in first):
            return 0
        announce(self.section, description + folded[: close + 1])
        return close + 1

    def _accepts(self, index: int, cand: Candidate, at_start: bool, pending: str) -> bool:
        """Whether a number opens a question; one glued to text only inside a question."""
        reading = self.current is not None and not self.current.closed
        glued = not at_start and not cand.example
        if glued and not reading and self._opens_loose(index, cand, pending):
            glued, at_start = False, True
        if glued and not (reading and glued_ok(self.folded[index], cand, self.numbering.family)):
            return False
        if glued and self._lost_number_before(cand, pending):
            return True
        state = ReadingState(complete=True)
        if self.current is not None:
            state = self.current.reading_state(pending)
        return self.numbering.accept(cand, at_start, state, self._upcoming(index, cand))

    def _opens_loose(self, index: int, cand: Candidate, pending: str) -> bool:
        """A number glued to loose text that still starts a question: after a question that
        lost its number, or as the paper's first question after its preamble."""
        if not glued_ok(self.folded[index], cand):
            return False
        return _lost_question(pending) or self._first_after_preamble(cand, pending)

    def _first_after_preamble(self, cand: Candidate, pending: str) -> bool:
        """'…您的姓名:[填空题]*____1.加油站…': a paper's first question glued to a form field
        or a title's closing mark, before any question was read."""
        return (
            cand.number == 1
            and self.numbering.last is None
            and _PREAMBLE_END.search(pending) is not None
        )

    def _lost_number_before(self, cand: Candidate, pending: str) -> bool:
        """'…D.d 乙（ ）A.e B.f … 3.丙': options started again, so question 2 lost its number
        and 3 follows it."""
        assert self.current is not None
        if self.numbering.last is None or cand.number != self.numbering.last + 2:
            return False
        return split_options(f"{self.current.text}\n{pending}").restart_at is not None

    def _upcoming(self, index: int, cand: Candidate) -> Iterator[int]:
        yield from (c.number for c in self.lookahead[index] if c.start > cand.start)
        for decimal, later in zip(
            self.decimals[index + 1 :], self.lookahead[index + 1 :], strict=True
        ):
            yield from (c.number for c in [*decimal, *later])

    def _open_section(self, header: HeaderMatch, index: int) -> None:
        """A header: a new paper when it is 一、 (or repeats a section name) after questions."""
        self._close()
        again = header.ordinal is None and header.name in self.paper_names
        if (header.ordinal == 1 or again) and self._paper_has_blocks():
            self._new_paper()
        self.section = new_section(header, self.lines[index], index + 1, self.paper)
        self.result.sections.append(self.section)
        self.paper_names.add(header.name)
        self.numbering.open_section()
        self.run_id += 1
        self.notes = False

    def _open_block(self, index: int, cand: Candidate) -> None:
        """A question; numbering restarting at 1 (or at 例题) starts a new paper."""
        last = self.numbering.last
        restarts = last is not None and not self.numbering.fresh and cand.number <= last
        if restarts and (cand.number == 1 or cand.example):
            self._new_paper(keep_section=True)
        last = self.numbering.last
        gap = (last + 1, cand.number - 1) if last is not None and cand.number > last + 1 else None
        if self.loose or cand.example:
            self.run_id += 1
        self.current = Block(
            cand.number, index + 1, self.section, self.paper, self.run_id, gap, self.notes
        )
        self.result.blocks.append(self.current)
        self.numbering.advance(cand)
        self.loose, self.stray, self.guessed = False, [], None

    def _open_lost(self, parts: list[tuple[int, str]]) -> None:
        """Options or a √/× answer outside every question: their question lost its number. It
        is kept, from its stem on (`parts`), numbered after the question before it (a guess
        the import reports), never joined to a neighbour."""
        for line in {line for line, _ in parts}:
            problem = self.stray_problems.pop(line, None)
            if problem in self.result.problems:
                self.result.problems.remove(problem)
        number = max(self.numbering.last or 0, self.guessed or 0) + 1
        block = Block(number, parts[0][0], self.section, self.paper, self.run_id, lost=True)
        for position, (line, text) in enumerate(parts):
            block.add(line, LEADING_MARKS.sub("", text) if position == 0 else text)
        pieces = block.cut(lost_starts(block.text, number + 1))
        self.result.blocks.extend(pieces)
        self.current, self.guessed = pieces[-1], pieces[-1].number
        self.loose, self.stray = False, []

    def _new_paper(self, keep_section: bool = False) -> None:
        self.paper += 1
        self.guessed = None
        self.paper_names.clear()
        self.numbering.restart()
        self.run_id += 1
        if keep_section and self.section is not None:
            self.section = replace(self.section, paper=self.paper)
            self.result.sections.append(self.section)
            self.paper_names.add(self.section.name)
        elif not keep_section:
            self.section = None

    def _question_follows(self, index: int) -> bool:
        following = next((i for i in range(index + 1, len(self.lines)) if self.lines[i]), None)
        found = self.lookahead[following][:1] if following is not None else []
        return any(c.start == 0 and c.style != "bare" for c in found)

    def _paper_has_blocks(self) -> bool:
        return bool(self.result.blocks) and self.result.blocks[-1].paper == self.paper

    def _close(self) -> None:
        if self.current is not None:
            self.current.closed = True

    def _fragment(self, index: int, text: str, opened: bool) -> None:
        """Text of a line: the question opened on it, the open question, or loose text."""
        if not text.strip():
            return
        if opened or (self.current is not None and continues(self.current, text, self.blank)):
            assert self.current is not None
            self.current.add(index + 1, text)
            return
        self._close()
        self.loose = True
        self.notes = self.notes or bool(_NOTES.match(fold(text)))
        loose = [part for _, part in self.stray]
        if shows_options(text, loose):
            self._open_lost(_lost_lines([*self.stray, (index + 1, text)]))
            return
        in_paper = self.section is not None or self._question_follows(index)
        if shows_statement_answer(text, loose, in_paper):
            self._open_lost([self.stray[-1], (index + 1, text)])
            return
        problem = stray_problem(index + 1, text, in_paper)
        self.stray = [*self.stray[-WINDOW:], (index + 1, text)]
        if problem:
            self.result.problems.append(problem)
            self.stray_problems[index + 1] = problem


def _lost_lines(loose: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The loose lines of a lost question, the last holding options: the option lines before
    it, and the stem line before those unless the first option line carries its own."""
    start = len(loose) - 1
    while start > 0 and starts_options(fold(loose[start - 1][1])):
        start -= 1
    own_stem = bool(split_options(loose[start][1]).stem.strip())
    return loose[start - 1 if start > 0 and not own_stem else start :]


def _lost_question(pending: str) -> bool:
    """Loose text before a glued number that holds options: a question that lost its number
    ('…D.信息社会4.能信业…'), so the number after it opens the next question (the lost one
    is kept on its own, see `_open_lost`)."""
    return len(split_options(pending).options) >= 2


def _events(folded: str, anchor: int, numbers: list[Candidate]) -> list[Candidate | HeaderMatch]:
    """Question numbers and inline section headers of a line, in order, numbers inside a
    header's description left out."""
    headers = headers_inline(folded, anchor)
    if headers:
        numbers = [c for c in numbers if not any(h.start <= c.start < h.end for h in headers)]
    return sorted([*headers, *numbers], key=lambda event: event.start)
