"""Text outside every question that shows a question was there: options, an answer, a blank.

Courseware paragraphs between papers are expected and ignored; but options, an '答案：B' or a
'____' with no question number around them mean a number was lost, and that is reported.
"""

from __future__ import annotations

import re

from question_bank.formats.cn_text.blocks import OBJECTIVE_ANSWER
from question_bank.formats.cn_text.continuation import STEM_PARAGRAPH_LENGTH
from question_bank.formats.cn_text.options import split_options, starts_options
from question_bank.formats.cn_text.vocabulary import ASKS, BLANK, MARKERS, fold
from question_bank.model import Problem

WINDOW = 8
_LEADING_MARKS = re.compile(r"^[\s.、,]+")


def stray_problem(line: int, text: str, before: list[str], in_paper: bool) -> Problem | None:
    """The problem a loose fragment shows; `before` are the loose fragments just before it,
    so options one per line are seen together. `in_paper`: within a section or just before a
    question, where a line asking '简述…' is a question stem that lost its number."""
    folded = fold(text)
    if starts_options(folded) and len(split_options("\n".join([*before, text])).options) >= 2:
        message = "选项没有对应的题号，可能漏了题号 (options without a question number)"
        return Problem(line, "error", message)
    orphan = _orphan_answer(folded)
    if orphan:
        message = "答案没有对应的题目，可能漏了题号 (answer outside any question)"
        return Problem(line, "error" if orphan == "objective" else "warning", message)
    if len(text) > STEM_PARAGRAPH_LENGTH:
        return None
    if BLANK.search(folded):
        message = "有填空处却没有题号，可能漏了题号 (a blank outside any question)"
        return Problem(line, "warning", message)
    if in_paper and ASKS.match(_LEADING_MARKS.sub("", folded)):
        message = "像是题干却没有题号，可能漏了题号 (a question stem without a number)"
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
