"""Answer keys: '参考答案' followed by '1-5 BCADA', '1.B 2.C', '一、1.C … 二、16.ABD', '21-25 √×√√×'.

A key is read into entries (number, raw answer, section it names, explanation) and then matched
to the questions of its paper by number — by section too when numbers restart per section:
a section the key names (一、 / 单项选择题), else the order in which its numbers restart.
The same reader serves keys at the end of a paper and stand-alone key files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from question_bank.formats.cn_text.answers import split_parts
from question_bank.formats.cn_text.sections import Section
from question_bank.formats.cn_text.vocabulary import (
    CN_ORDINAL,
    EXPLANATION_MARK,
    KEY_HEADING,
    OBJECTIVE_TOKEN,
    SECTION_NAME,
    TF_WORD,
    cn_number,
    fold,
    section_type,
)
from question_bank.formats.cn_text.wrapping import unwrap
from question_bank.model import Problem
from question_bank.texts import N_

_SECTION = re.compile(
    rf"\s*(?:(?P<ordinal>[{CN_ORDINAL}]{{1,3}})\s*[、.]\s*|\((?P<paren>[{CN_ORDINAL}]{{1,3}})\)\s*)?"
    rf"[【\[]?\s*(?P<name>{SECTION_NAME})?\s*[】\]]?\s*(?:\([^)]*\))?\s*[:.。]?\s*"
)
_EXPLANATION = re.compile(rf"\s*(?:{EXPLANATION_MARK})")
_ENTRY = re.compile(
    r"(?<![\d.])(?P<first>\d{1,4})(?:\s*[-~—–至到]\s*(?P<last>\d{1,4}))?\s*题?\s*(?P<sep>[.、:)])?\s*"
)
_TOKEN = re.compile(OBJECTIVE_TOKEN)
_INLINE_SECTION = re.compile(rf"(?<=\s)[{CN_ORDINAL}]{{1,3}}\s*[、.]\s*(?=\d|{SECTION_NAME})")
_SECTION_END = re.compile(r"\d|$")
_TABLE_NUMBERS = re.compile(r"\s*题\s*号")
_TABLE_ANSWERS = re.compile(r"^\s*答\s*案\s*:?")
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_MARKS = re.compile(rf"正确|错误|{TF_WORD}")
_MAX_SKIP = 10


@dataclass
class KeyEntry:
    """One answer of a key: its question number, the raw answer and where it was read."""

    number: int
    raw: str
    line: int
    ordinal: int | None = None
    section: str | None = None
    explanation: str | None = None


def parse_key(lines: Sequence[tuple[int, str]]) -> tuple[list[KeyEntry], list[Problem]]:
    """Entries of a key region, in order, plus the problems of entries that cannot be read."""
    reader = _KeyReader()
    for line, text in lines:
        reader.read(line, text)
    return reader.entries, reader.problems


class _KeyReader:
    """Line-by-line state: the section the key is in and the entry being continued."""

    def __init__(self) -> None:
        self.entries: list[KeyEntry] = []
        self.problems: list[Problem] = []
        self.ordinal: int | None = None
        self.section: str | None = None
        self.table: list[int] | None = None
        self.explaining = False
        self.fresh = True

    def read(self, line: int, text: str) -> None:
        """Read one line, which may hold several sections: '一、1.C 2.B 二、11.AB'."""
        cuts = [0, *(m.start() for m in _INLINE_SECTION.finditer(fold(text))), len(text)]
        for start, end in zip(cuts, cuts[1:], strict=False):
            self._segment(line, text[start:end])

    def _segment(self, line: int, text: str) -> None:
        folded = fold(text)
        table_answers = _TABLE_ANSWERS.match(folded)
        if self.table and table_answers:
            self._table_row(line, text[table_answers.end() :])
            return
        position = self._prefix(folded)
        if _EXPLANATION.match(folded, position):
            self._explain(split_parts(text[position:]).explanation or "")
        elif _TABLE_NUMBERS.match(folded, position):
            self.table = [int(n) for n in re.findall(r"\d+", folded[position:])]
        elif not self._entries(line, text, folded, position):
            self._continue(text[position:])

    def _prefix(self, folded: str) -> int:
        """Skip a heading and a section marker, noting the section it names."""
        heading = KEY_HEADING.match(folded)
        position = heading.end() if heading else 0
        section = _SECTION.match(folded, position)
        if section and (
            section.group("name")
            or (section.group("ordinal") or section.group("paren"))
            and _SECTION_END.match(folded, section.end())
        ):
            self.ordinal = cn_number(section.group("ordinal") or section.group("paren") or "")
            self.section = section.group("name")
            self.explaining, self.fresh = False, True
            return section.end()
        return position

    def _entries(self, line: int, text: str, folded: str, position: int) -> bool:
        starts = self._starts(folded, position)
        if not starts:
            return False
        for match, following in zip(starts, [*starts[1:], None], strict=True):
            body = text[match.end() : following.start() if following else len(text)]
            self._add(line, match, body)
        return True

    def _starts(self, folded: str, position: int) -> list[re.Match[str]]:
        """Entry numbers that continue the key; '1.' inside a reference answer does not. A line
        may skip a few numbers (questions the key leaves out, such as essays)."""
        accepted: list[re.Match[str]] = []
        last = self.entries[-1].number if self.entries else None
        fresh = self.fresh
        for match in _ENTRY.finditer(folded, position):
            first, ranged = int(match.group("first")), bool(match.group("last"))
            short = ranged or bool(_TOKEN.match(folded, match.end()))
            if not match.group("sep") and not short:
                continue
            at_start = not accepted and not folded[position : match.start()].strip()
            follows = last is None or first == last + 1
            skips = last is not None and last < first <= last + _MAX_SKIP
            if fresh or follows or (short and (at_start or (last is not None and first > last))) or (at_start and skips):
                accepted.append(match)
                last, fresh = int(match.group("last") or first), False
        return accepted

    def _add(self, line: int, match: re.Match[str], body: str) -> None:
        first, last = int(match.group("first")), int(match.group("last") or match.group("first"))
        parts = split_parts(body)
        raw = parts.answer if parts.answer is not None else parts.question
        if last == first:
            self._entry(first, unwrap(raw), line, parts.explanation)
            return
        answers = split_range(raw, last - first + 1) if last > first else None
        if answers is None:
            message = N_("答案个数与题号范围 %(first)s-%(last)s 不符", first=first, last=last)
            self.problems.append(Problem(line, "error", message))
            return
        for number, answer in enumerate(answers, first):
            self._entry(number, answer, line, None)

    def _entry(self, number: int, raw: str, line: int, explanation: str | None) -> None:
        self.entries.append(KeyEntry(number, raw, line, self.ordinal, self.section, explanation))
        self.explaining, self.fresh = explanation is not None, False

    def _table_row(self, line: int, text: str) -> None:
        assert self.table is not None
        answers = split_range(text, len(self.table)) or []
        for number, answer in zip(self.table, answers, strict=False):
            self._entry(number, answer, line, None)
        if len(answers) != len(self.table):
            message = N_("答案表的答案个数与题号个数不符")
            self.problems.append(Problem(line, "error", message))
        self.table = None

    def _explain(self, text: str) -> None:
        if self.entries:
            self.entries[-1].explanation = unwrap(text) or None
            self.explaining = True

    def _continue(self, text: str) -> None:
        """A line without entries: more of the last reference answer or explanation."""
        if not self.entries or not text.strip():
            return
        entry = self.entries[-1]
        if self.explaining:
            entry.explanation = unwrap(f"{entry.explanation or ''}\n{text}")
        else:
            entry.raw = unwrap(f"{entry.raw}\n{text}")


def split_range(raw: str, count: int) -> list[str] | None:
    """'BCADA' / 'B C A D A' / 'ABD、AC、BCD' / '√×√√×' as `count` answers, or None."""
    folded = fold(raw).strip().rstrip("。.")
    compact = _SEPARATORS.sub("", folded)
    if len(compact) == count and all(c.upper() in "ABCDEFGH√×✓✗✔✘对错TFXY" for c in compact):
        return list(compact)
    groups = [g for g in _SEPARATORS.split(folded) if g]
    if len(groups) == count:
        return groups
    marks = _MARKS.findall(compact)
    return marks if len(marks) == count and "".join(marks) == compact else None


def match_entries(
    entries: list[KeyEntry], questions: Sequence[tuple[int, Section | None]], start_section: int = 0
) -> tuple[dict[int, int], list[Problem]]:
    """Map entry index -> question index. `questions` are (number, section) in paper order;
    `start_section` is where a key without section markers begins."""
    sections = _sections(questions)
    by_number: dict[int, list[int]] = defaultdict(list)
    for index, (number, _) in enumerate(questions):
        by_number[number].append(index)
    matched: dict[int, int] = {}
    problems: list[Problem] = []
    cursor, previous = start_section, None
    for index, entry in enumerate(entries):
        named = _named_section(entry, sections)
        if named is not None:
            cursor = named
        elif previous is not None and entry.number <= previous:
            cursor += 1
        previous = entry.number
        section = sections[cursor] if cursor < len(sections) else None
        target = _find(by_number.get(entry.number, []), questions, section)
        if target is None:
            message = N_("答案中的第 %(number)s 题没有对应的题目", number=entry.number)
            problems.append(Problem(entry.line, "warning", message))
        else:
            matched[index] = target
    return matched, problems


def _sections(questions: Sequence[tuple[int, Section | None]]) -> list[Section | None]:
    ordered: list[Section | None] = []
    for _, section in questions:
        if not ordered or ordered[-1] is not section:
            ordered.append(section)
    return ordered


def _named_section(entry: KeyEntry, sections: list[Section | None]) -> int | None:
    """The section an entry names by ordinal (一、) or by name (单项选择题)."""
    if entry.ordinal is None and not entry.section:
        return None
    for index, section in enumerate(sections):
        if section is None:
            continue
        if entry.ordinal is not None and section.ordinal == entry.ordinal:
            return index
        if entry.section and (
            section.name == entry.section or section.type == section_type(entry.section)
        ):
            return index
    if entry.ordinal is not None and 0 < entry.ordinal <= len(sections):
        return entry.ordinal - 1
    return None


def _find(
    same: list[int], questions: Sequence[tuple[int, Section | None]], section: Section | None
) -> int | None:
    """The one question with the number, or the one in the key's current section."""
    if len(same) == 1:
        return same[0]
    in_section = [i for i in same if questions[i][1] is section]
    return in_section[0] if in_section else None
