"""Cut a paper's lines into question blocks, section headers and answer-key regions.

Lines are read in order. A question number (see `numbering`) opens a block; the lines after it
belong to it while they plausibly continue it — more stem, options, its answer, explanation or
case material. Text that cannot continue the open block (a courseware paragraph after the last
option, a page title) is loose: it is not a question, but if it holds options or an answer
without a question number it is reported, because a question lost its number there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from question_bank.formats.cn_text.numbering import (
    Candidate,
    Numbering,
    ReadingState,
    candidates,
    glued_ok,
)
from question_bank.formats.cn_text.options import split_options, starts_options
from question_bank.formats.cn_text.sections import (
    HeaderMatch,
    Section,
    header_at_start,
    headers_inline,
    new_section,
)
from question_bank.formats.cn_text.vocabulary import (
    BLANK,
    CN_ORDINAL,
    MARKERS,
    TF_WORD,
    fold,
)
from question_bank.model import Problem

SUBJECTIVE = frozenset({"short_answer", "essay", "case"})
_OBJECTIVE_ANSWER = re.compile(rf"^\s*(?:[A-Ha-h](?:[\s,、]*[A-Ha-h])*|{TF_WORD})\s*[。.]?\s*$")
_PROMPT = re.compile(r"[?:]\s*$|^\s*(?:\(\d{1,2}\)|\d{1,2}\)|[①-⑩]|问题|请)")
_KEY_HEADING = re.compile(
    r"^\s*(?:附\s*:?\s*)?(?:[一二三四五六七八九十]{1,3}\s*[、.]\s*)?[【\[]?\s*"
    r"(?:参考答案|标准答案|试题答案|试卷答案|答案)\s*(?:[及与和]\s*(?:解析|评分标准|评分参考|详解|提示))?"
    r"\s*[】\]]?\s*(?:\([^)]{0,30}\))?\s*:?\s*"
)
# Used with match(text, pos): no "^", which would only match at the start of the string.
_KEY_START = re.compile(
    rf"\s*(?:[{CN_ORDINAL}]{{1,3}}\s*[、.]\s*)?(?:\d{{1,4}}\s*[-~—–至到]\s*\d{{1,4}}"
    rf"|\d{{1,4}}\s*[.、:)]?\s*(?:[A-H]{{1,8}}|{TF_WORD})(?![A-Za-z\u4e00-\u9fff])|题号)"
)
_TITLE = re.compile(r"试题|试卷|模拟题|考试题|测试题|练习题|考题")
_TITLE_LENGTH = 40
_OPTION_LINE_LENGTH = 40
_STEM_PARAGRAPH_LENGTH = 120


@dataclass
class Block:
    """The text of one numbered question, line by line, and where it stands in the paper."""

    number: int
    line: int
    section: Section | None
    paper: int
    run: int
    example: bool = False
    gap: tuple[int, int] | None = None
    parts: list[tuple[int, str]] = field(default_factory=list)
    phase: str = "stem"
    answer_text: str = ""
    closed: bool = False

    @property
    def kind(self) -> str | None:
        return self.section.type if self.section else None

    @property
    def subjective(self) -> bool:
        """A subjective question, or an untyped one with neither options nor blanks."""
        if self.kind is not None:
            return self.kind in SUBJECTIVE
        return self.phase == "stem" and not BLANK.search(fold(self.text))

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.parts)

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

    def reading_state(self, pending: str = "") -> ReadingState:
        """Complete / answering, as if `pending` (text before a number on the same line)
        had already been added."""
        if self.closed:
            return ReadingState(complete=True)
        phase, answer = _advance(self.phase, self.answer_text, pending)
        answering = phase == "answer" and not _OBJECTIVE_ANSWER.match(fold(answer))
        return ReadingState(complete=phase != "stem", answering=answering)


def _advance(phase: str, answer: str, text: str) -> tuple[str, str]:
    """The phase of a question after `text`: stem, options, answer or explanation."""
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
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    last_ordinal: int | None = None
    pending_header: int | None = None


@dataclass
class Scan:
    """Everything `scan` found, in source order."""

    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    keys: list[KeyRegion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def scan(lines: list[str]) -> Scan:
    """Read cleaned lines (index 0 is line 1) into blocks, sections and answer keys."""
    return _Scanner(lines).run()


class _Scanner:
    """The reading position: current paper, section, question and numbering."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.folded = [fold(line) for line in lines]
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
        self.lookahead = [candidates(f, 0, True) for f in self.folded]

    def run(self) -> Scan:
        for index, text in enumerate(self.lines):
            self._line(index, text)
        return self.result

    def _line(self, index: int, text: str) -> None:
        if not text:
            self.blank = True
            return
        if self.key is not None and self._key_line(index):
            pass
        elif self._is_key_heading(index):
            self._open_key(index)
        else:
            self._content(index, text)
        self.blank = False

    # --- answer keys -------------------------------------------------------------------

    def _is_key_heading(self, index: int) -> bool:
        """'参考答案' followed by answers ('1-5 BCADA', '一、1.C…'), not by one question's answer."""
        folded = self.folded[index]
        match = _KEY_HEADING.match(folded)
        if not match:
            return False
        if folded[match.end() :].strip():
            return bool(_KEY_START.match(folded, match.end()))
        following = self._next_line(index)
        return following is None or self._starts_key(following)

    def _starts_key(self, index: int) -> bool:
        """Whether answers start at this line, looking past a section header on its own."""
        folded = self.folded[index]
        header = header_at_start(folded)
        position = header.end if header else 0
        if header and not folded[position:].strip():
            following = self._next_line(index)
            return following is not None and self._starts_key(following)
        return bool(_KEY_START.match(folded, position)) or self._answers_back(index)

    def _next_line(self, index: int) -> int | None:
        return next((i for i in range(index + 1, len(self.lines)) if self.lines[i]), None)

    def _answers_back(self, index: int) -> bool:
        """Numbers that go back to earlier questions and run up to the last one ('31.答…',
        '32.…' after question 32) answer them; a list inside one answer ('1.… 2.…') is
        followed by the next question instead. Under a subjective question a '(1)' list in
        another numbering style than the questions' is its answer, not a key. After an
        objective question, one that has its answer already, or before any question, numbers
        going back can only be a key."""
        last = self.numbering.last
        strict = self.current is not None and self.current.subjective and not self._answered()
        numbers = [
            c[0].number
            for c in self.lookahead[index:]
            if c and c[0].start == 0 and (c[0].family == self.numbering.family or not strict)
        ]
        if not numbers or (last is not None and numbers[0] > last):
            return False
        if last is None or not strict:
            return True
        size = last - numbers[0] + 1
        run, after = numbers[:size], numbers[size : size + 1]
        return run == list(range(numbers[0], last + 1)) and after != [last + 1]

    def _answered(self) -> bool:
        block = self.current
        return block is not None and any(
            m.lastgroup == "answer" for m in MARKERS.finditer(fold(block.text))
        )

    def _open_key(self, index: int) -> None:
        self._close()
        self.key = KeyRegion(self.paper, index + 1)
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
        elif self._question_again(folded):
            return self._end_key()
        self.key.pending_header = index if header else None
        self.key.lines.append((index + 1, self.lines[index]))
        return True

    def _question_again(self, folded: str) -> bool:
        """A blank, options, a paper title, or a number beyond the paper's last question."""
        if BLANK.search(folded) or len(split_options(folded).options) >= 2 or _is_title(folded):
            return True
        first = candidates(folded, 0, True)[:1]
        last = self.numbering.last
        beyond = bool(first) and first[0].start == 0 and last is not None and first[0].number > last
        return beyond and not _KEY_START.match(folded)

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
        folded = self.folded[index]
        anchor = 0
        header = header_at_start(folded)
        if header:
            self._open_section(header, index)
            anchor = header.end
        events = _events(folded, anchor)
        position, opened = anchor, False
        for event in events:
            if isinstance(event, HeaderMatch):
                self._fragment(index, text[position : event.start], opened)
                self._open_section(event, index)
                position = anchor = event.end
                opened = False
                continue
            at_start = not opened and not folded[anchor : event.start].strip()
            if self._accepts(index, event, at_start, text[position : event.start]):
                self._fragment(index, text[position : event.start], opened)
                self._open_block(index, event)
                position, opened = event.end, True
        self._fragment(index, text[position:], opened)

    def _accepts(self, index: int, cand: Candidate, at_start: bool, pending: str) -> bool:
        """A number glued to text counts only inside a question, as the next number."""
        reading = self.current is not None and not self.current.closed
        glued = not at_start and not cand.example
        if glued and not (reading and glued_ok(self.folded[index], cand)):
            return False
        if glued and self._lost_number_before(cand, pending):
            return True
        state = ReadingState(complete=True)
        if self.current is not None:
            state = self.current.reading_state(pending)
        return self.numbering.accept(cand, at_start, state, self._upcoming(index, cand))

    def _lost_number_before(self, cand: Candidate, pending: str) -> bool:
        """'…D.d 乙（ ）A.e B.f … 3.丙': options started again, so question 2 lost its number
        and 3 follows it."""
        assert self.current is not None
        if self.numbering.last is None or cand.number != self.numbering.last + 2:
            return False
        return split_options(f"{self.current.text}\n{pending}").restart_at is not None

    def _upcoming(self, index: int, cand: Candidate) -> Iterator[int]:
        yield from (c.number for c in self.lookahead[index] if c.start > cand.start)
        for later in self.lookahead[index + 1 :]:
            yield from (c.number for c in later)

    def _open_section(self, header: HeaderMatch, index: int) -> None:
        self._close()
        repeated = header.ordinal == 1 or (
            header.ordinal is None and header.name in self.paper_names
        )
        if repeated and self._paper_has_blocks():
            self._new_paper()
        self.section = new_section(header, index + 1, self.paper)
        self.result.sections.append(self.section)
        self.paper_names.add(header.name)
        self.numbering.open_section()
        self.run_id += 1

    def _open_block(self, index: int, cand: Candidate) -> None:
        last = self.numbering.last
        restarts = last is not None and not self.numbering.fresh and cand.number <= last
        if restarts and (cand.number == 1 or cand.example):
            self._new_paper(keep_section=True)
        gap = None
        if self.numbering.last is not None and cand.number > self.numbering.last + 1:
            gap = (self.numbering.last + 1, cand.number - 1)
        if self.loose or cand.example:
            self.run_id += 1
        self.current = Block(
            cand.number, index + 1, self.section, self.paper, self.run_id, cand.example, gap
        )
        self.result.blocks.append(self.current)
        self.numbering.advance(cand)
        self.loose = False

    def _new_paper(self, keep_section: bool = False) -> None:
        self.paper += 1
        self.paper_names.clear()
        self.numbering.restart()
        self.run_id += 1
        if keep_section and self.section is not None:
            self.section = replace(self.section, paper=self.paper)
            self.result.sections.append(self.section)
            self.paper_names.add(self.section.name)
        elif not keep_section:
            self.section = None

    def _paper_has_blocks(self) -> bool:
        return bool(self.result.blocks) and self.result.blocks[-1].paper == self.paper

    def _close(self) -> None:
        if self.current is not None:
            self.current.closed = True

    def _fragment(self, index: int, text: str, opened: bool) -> None:
        if not text.strip():
            return
        if opened:
            assert self.current is not None
            self.current.add(index + 1, text)
        elif self.current is not None and self._continues(self.current, text):
            self.current.add(index + 1, text)
        else:
            self._close()
            self._loose(index, text)

    def _continues(self, block: Block, text: str) -> bool:
        """Whether a new line still belongs to the open question."""
        folded = fold(text)
        if block.closed:
            return False
        if MARKERS.search(folded) or (
            block.phase in ("stem", "options") and starts_options(folded)
        ):
            return True
        if block.phase == "answer":
            return block.reading_state().answering or not block.answer_text.strip()
        if block.phase == "explanation":
            return not self.blank
        if block.phase == "options":
            return not self.blank and len(text) <= _OPTION_LINE_LENGTH
        return self._stem_continues(block, text, folded)

    def _stem_continues(self, block: Block, text: str, folded: str) -> bool:
        stem = fold(block.text).rstrip()
        if block.kind == "case":
            return not stem.endswith("?") or bool(_PROMPT.search(folded))
        if not self.blank:
            return True
        if block.kind in SUBJECTIVE:
            return False
        if BLANK.search(stem) or stem.endswith(("?", ":", "。", ".")):
            return False
        return block.kind is not None or len(text) <= _STEM_PARAGRAPH_LENGTH

    def _loose(self, index: int, text: str) -> None:
        """Text outside any question: fine, unless it holds options, an answer or a blank."""
        self.loose = True
        orphan = _orphan_answer(fold(text))
        if len(split_options(text).options) >= 2:
            message = "选项没有对应的题号，可能漏了题号 (options without a question number)"
            self.result.problems.append(Problem(index + 1, "error", message))
        elif orphan:
            message = "答案没有对应的题目，可能漏了题号 (answer outside any question)"
            severity = "error" if orphan == "objective" else "warning"
            self.result.problems.append(Problem(index + 1, severity, message))
        elif len(text) <= _STEM_PARAGRAPH_LENGTH and BLANK.search(fold(text)):
            message = "有填空处却没有题号，可能漏了题号 (a blank outside any question)"
            self.result.problems.append(Problem(index + 1, "warning", message))


def _events(folded: str, anchor: int) -> list[Candidate | HeaderMatch]:
    """Question numbers and inline section headers of a line, in order, numbers inside a
    header's description left out."""
    headers = headers_inline(folded, anchor)
    numbers = [
        c
        for c in candidates(folded, anchor, True)
        if not any(h.start <= c.start < h.end for h in headers)
    ]
    return sorted([*headers, *numbers], key=lambda event: event.start)


def _orphan_answer(folded: str) -> str | None:
    """'objective' for an answer marker with a letter or √/× (a question's answer, whose
    question lost its number), 'text' for a marker opening the text, else None."""
    for mark in MARKERS.finditer(folded):
        if mark.lastgroup != "answer":
            continue
        body = folded[mark.end() :].split()[:1]
        if body and _OBJECTIVE_ANSWER.match(body[0]):
            return "objective"
        if not folded[: mark.start()].strip():
            return "text"
    return None


def _is_title(folded: str) -> bool:
    return (
        len(folded) <= _TITLE_LENGTH
        and bool(_TITLE.search(folded))
        and not _KEY_START.match(folded)
    )
