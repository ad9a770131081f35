"""Where an answer key starts inside a paper, and where questions start again after it.

'参考答案' is both a key's heading and the marker of one question's reference answer. It opens
a key when answers follow ('1-5 BCADA', '一、1.C'), or when the numbers that follow go back to
earlier questions; a list inside one reference answer ('1.… 2.…') is followed by the next
question instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.formats.cn_text.blocks import Block
from question_bank.formats.cn_text.numbering import Candidate, candidates
from question_bank.formats.cn_text.options import split_options
from question_bank.formats.cn_text.sections import header_at_start
from question_bank.formats.cn_text.vocabulary import (
    BLANK,
    CN_ORDINAL,
    KEY_HEADING,
    OBJECTIVE_TOKEN,
)

# Answers starting: a range, a number with an objective answer, or a 题号 table row.
# Used with match(text, pos): no "^", which would only match at the start of the string.
KEY_START = re.compile(
    rf"\s*(?:[{CN_ORDINAL}]{{1,3}}\s*[、.]\s*)?"
    rf"(?:\d{{1,4}}\s*[-~—–至到]\s*\d{{1,4}}|\d{{1,4}}\s*[.、:)]?\s*{OBJECTIVE_TOKEN}|题号)"
)
_TITLE = re.compile(r"试题|试卷|模拟题|考试题|测试题|练习题|考题")
_TITLE_LENGTH = 40


@dataclass(frozen=True)
class Reading:
    """What the scanner knows at a line: the document and the question being read."""

    folded: list[str]
    lookahead: list[list[Candidate]]
    last: int | None
    family: str | None
    current: Block | None


def is_key_heading(reading: Reading, index: int) -> bool:
    """'参考答案' followed by answers, not by one question's reference answer."""
    folded = reading.folded[index]
    match = KEY_HEADING.match(folded)
    if not match:
        return False
    if folded[match.end() :].strip():
        return bool(KEY_START.match(folded, match.end()))
    following = _next_line(reading, index)
    return following is None or _starts_key(reading, following)


def ends_key(reading: Reading, folded: str) -> bool:
    """A line inside a key that starts questions again: a blank, options, a paper title, or a
    number beyond the paper's last question."""
    if BLANK.search(folded) or len(split_options(folded).options) >= 2 or _is_title(folded):
        return True
    first = candidates(folded, 0)[:1]
    if not first or first[0].start != 0 or reading.last is None:
        return False
    return first[0].number > reading.last and not KEY_START.match(folded)


def _starts_key(reading: Reading, index: int) -> bool:
    """Whether answers start at this line, looking past a section header on its own."""
    folded = reading.folded[index]
    header = header_at_start(folded)
    position = header.end if header else 0
    if header and not folded[position:].strip():
        following = _next_line(reading, index)
        return following is not None and _starts_key(reading, following)
    return bool(KEY_START.match(folded, position)) or _answers_back(reading, index)


def _answers_back(reading: Reading, index: int) -> bool:
    """Numbers going back to earlier questions ('31.答…', '32.…' after question 32) answer
    them. Under an unanswered subjective question they must run up to it and stop, and use the
    questions' numbering style: otherwise they are a list inside its reference answer."""
    last, current = reading.last, reading.current
    strict = current is not None and current.subjective and not current.answered
    numbers = [
        found[0].number
        for found in reading.lookahead[index:]
        if found and found[0].start == 0 and (found[0].family == reading.family or not strict)
    ]
    if not numbers or (last is not None and numbers[0] > last):
        return False
    if last is None or not strict:
        return True
    size = last - numbers[0] + 1
    run, after = numbers[:size], numbers[size : size + 1]
    return run == list(range(numbers[0], last + 1)) and after != [last + 1]


def _next_line(reading: Reading, index: int) -> int | None:
    lines = reading.folded
    return next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)


def _is_title(folded: str) -> bool:
    short = len(folded) <= _TITLE_LENGTH
    return short and bool(_TITLE.search(folded)) and not KEY_START.match(folded)
