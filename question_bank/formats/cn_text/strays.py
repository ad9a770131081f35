"""Text outside every question that shows a question was there: options, an answer, a blank.

Courseware paragraphs between papers are expected and ignored; but options, an '答案：B' or a
'____' with no question number around them mean a number was lost. Options with their stem, or
a statement with its √/×, are kept as a question that lost its number (the scanner's
`_open_lost`); `lost_starts` and `lost_after_answer` find such questions swallowed by the
question before; the rest is reported.
"""

from __future__ import annotations

import re

from question_bank.formats.cn_text.blocks import OBJECTIVE_ANSWER
from question_bank.formats.cn_text.continuation import STEM_PARAGRAPH_LENGTH
from question_bank.formats.cn_text.options import split_options, starts_options
from question_bank.formats.cn_text.vocabulary import (
    ASKS,
    BLANK,
    MARKERS,
    OBJECTIVE_TOKEN,
    TF_WORD,
    fold,
)
from question_bank.model import Problem
from question_bank.texts import N_

WINDOW = 8
# The letter or √/× answer a second answer follows, and the space that ends it.
_FIRST_ANSWER = re.compile(rf"\s*(?P<answer>{OBJECTIVE_TOKEN}\s*[。.]?)\s+")
_TF_ANSWER = re.compile(rf"(?:{TF_WORD})[。.]?")
# What is left of a lost number before its stem: '.作为…'.
LEADING_MARKS = re.compile(r"^[\s.、,]+")
# Where a run-together question's last option ends and the next, unnumbered, stem begins:
# at the lost number's dot ('D.信息社会.在我国…') or at a space ('D.d 乙（ ）A.e').
_NEXT_STEM = re.compile(r"(?<=\S)(?:[.。]+\s*|\s+)(?=\S)")


def shows_options(text: str, before: list[str]) -> bool:
    """Whether a loose fragment (with the loose fragments just before it, so options one per
    line are seen together) holds the options of a question that lost its number."""
    return (
        starts_options(fold(text)) and len(split_options("\n".join([*before, text])).options) >= 2
    )


def lost_starts(text: str, number: int) -> list[tuple[int, int]]:
    """Where the questions that lost their numbers begin in `text`, the first of them being
    question `number`, as (end of the question before, start of the stem): options starting
    again at A begin the next one, whose stem starts after its number glued to the last option
    ('D.364、在…' -> '36' and '在…') or after the lost number's remains ('D.信息社会.在我国…A.'
    -> '信息社会' and '在我国…')."""
    found: list[tuple[int, int]] = []
    offset = 0
    while True:
        split = split_options(text[offset:])
        if split.restart_at is None or split.last_label_end is None:
            return found
        at = offset + split.last_label_end
        end, start = _next_stem(fold(text[at : offset + split.restart_at]), number)
        found.append((at + end, at + start))
        offset, number = at + start, number + 1


def _next_stem(tail: str, number: int) -> tuple[int, int]:
    """Where the last option ends and the next stem begins in the text after its label."""
    glued = re.search(rf"(?<!第){number}\s?[、.](?=\D)", tail)
    if glued:
        return glued.start(), glued.end()
    lead = len(tail) - len(tail.lstrip())
    cut = _NEXT_STEM.search(tail.strip())
    return (lead + cut.start(), lead + cut.end()) if cut else (len(tail), len(tail))


def shows_statement_answer(text: str, before: list[str], in_paper: bool) -> bool:
    """'投诉是机会。\n答案：√' in a paper: a √/× answer after a loose line is a true/false
    question that lost its number."""
    folded = fold(text)
    mark = next((m for m in MARKERS.finditer(folded) if m.lastgroup == "answer"), None)
    if mark is None or folded[: mark.start()].strip() or not (before and in_paper):
        return False
    body = folded[mark.end() :].split()[:1]
    return bool(body) and _TF_ANSWER.fullmatch(body[0]) is not None


def lost_after_answer(text: str) -> list[tuple[int, int]]:
    """'…答案：× 投诉是机会。答案：√': a second answer after a letter or √/× answer means
    the text after that first answer began a question that lost its number; where that
    cannot be told (an explanation or a written answer in between), nothing."""
    folded = fold(text)
    marks = list(MARKERS.finditer(folded))
    answers = [m for m in marks if m.lastgroup == "answer"][:2]
    if len(answers) < 2:
        return []
    first, second = answers
    if any(first.start() < m.start() < second.start() for m in marks if m.lastgroup != "answer"):
        return []
    token = _FIRST_ANSWER.match(folded, first.end(), second.start())
    if token is None or token.end() == second.start():
        return []
    return [(token.end("answer"), token.end())]


def stray_problem(line: int, text: str, in_paper: bool) -> Problem | None:
    """The problem a loose fragment that is no lost question shows. `in_paper`: within a
    section or just before a question, where a line asking '简述…' is a question stem that
    lost its number."""
    folded = fold(text)
    orphan = _orphan_answer(folded)
    if orphan:
        message = N_("答案没有对应的题目，可能漏了题号")
        return Problem(line, "error" if orphan == "objective" else "warning", message)
    if len(text) > STEM_PARAGRAPH_LENGTH:
        return None
    if BLANK.search(folded):
        message = N_("有填空处却没有题号，可能漏了题号")
        return Problem(line, "warning", message)
    if in_paper and ASKS.match(LEADING_MARKS.sub("", folded)):
        message = N_("像是题干却没有题号，可能漏了题号")
        return Problem(line, "warning", message)
    return None


def _orphan_answer(folded: str) -> str | None:
    """'objective' for an answer marker with a letter or √/× (a question's answer, whose
    question lost its number), 'text' for a marker opening the text, else None."""
    for mark in MARKERS.finditer(folded):
        if mark.lastgroup != "answer":
            continue
        body = folded[mark.end() :].split()[:1]
        if body and OBJECTIVE_ANSWER.match(body[0]):
            return "objective"
        if not folded[: mark.start()].strip():
            return "text"
    return None
