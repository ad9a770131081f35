"""Read one question block: stem, options, raw answer, explanation and what looks broken.

The type is not settled here: an answer key later in the paper may still supply the answer
that decides it (a '（ ）' question keyed '√' is true/false, not fill-in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from question_bank.formats.cn_text.answers import (
    answer_in_explanation,
    letters_in_brackets,
    split_parts,
    true_false_in_stem,
    words_in_blanks,
)
from question_bank.formats.cn_text.blocks import Block
from question_bank.formats.cn_text.options import Split, split_options
from question_bank.formats.cn_text.reflow import JUDGE_NOTE
from question_bank.formats.cn_text.vocabulary import (
    ASKS,
    BLANK,
    CJK,
    SECTION_NAME,
    fold,
    section_type,
)
from question_bank.model import Option, Problem
from question_bank.texts import N_

FROM_EXPLANATION = N_("答案取自解析，请确认")
# '【单选题】下列…', or a survey export's bare '多选题现代…'.
_TAG = re.compile(
    rf"^\s*(?:[【\[(]\s*(?P<name>{SECTION_NAME})\s*[】\])]|(?P<bare>{SECTION_NAME})(?=\s|[{CJK}“《]))\s*"
)
# The star a survey tool puts after a required question.
_REQUIRED = re.compile(r"\s*\*\s*$")
# A survey tool's type tag after the stem: '…应当[单选题] *', maybe followed by the true/false
# choices it prints unlabelled, the right one marked: '对(正确答案) 错'.
_TAIL_TAG = re.compile(rf"[【\[(]\s*(?P<name>{SECTION_NAME})\s*[】\])]\s*\*?")
_CHOICE = re.compile(r"\s*(?P<word>正确|错误|对|错|是|否|√|×)\s*(?P<mark>\(\s*正确答案\s*\))?")
_CHOICES = re.compile(rf"(?:{_CHOICE.pattern})+\s*$")
_FLOATING = re.compile(r"[。.?)]\s+(?P<letters>[A-H]{1,8})\s*$")
_QUESTION_MARK = re.compile(r"\?\s*$")
_POINTS = re.compile(
    r"\(\s*(?P<points>\d+(?:\.\d+)?)\s*分\s*\)\s*[。.]?\s*$|^\s*\(\s*(?P<lead>\d+(?:\.\d+)?)\s*分\s*\)"
)


@dataclass
class Draft:
    """A question as read from its block, before its type and answer are settled."""

    block: Block
    stem: str
    options: list[Option]
    raw_answer: str | None
    explanation: str | None
    tag: str | None = None
    points: float | None = None
    evidence: bool = False
    key_inferred: bool = False
    merged: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.block.line

    @property
    def declared(self) -> str | None:
        """The type the question's tag or its section announces."""
        if self.tag:
            return section_type(self.tag)
        return self.block.section.type if self.block.section else None


def read_block(block: Block) -> Draft:
    """Cut a block into its pieces and note what is broken inside it."""
    text = block.text
    parts = split_parts(text)
    split = split_options(parts.question)
    tag, stem = _tag(split.stem)
    note = JUDGE_NOTE.search(fold(stem)) if tag is None and "判断题" in stem else None
    if note is not None:
        tag, stem = "判断题", stem[: note.start()].rstrip()
    tag, stem, chosen = (tag, stem, None) if tag else _tail_tag(stem)
    stem, points = _points(_REQUIRED.sub("", stem))
    answer = parts.answer if parts.answer is not None else chosen
    draft = Draft(block, stem, split.options, answer, parts.explanation, tag, points)
    draft.merged = split.restart_at is not None or parts.second_answer_at is not None
    if draft.raw_answer is None and split.marked:
        draft.raw_answer = ",".join(split.marked)
    if draft.raw_answer is None:
        draft.stem, draft.raw_answer = _answer_in_stem(draft)
    if draft.raw_answer is None and draft.options:
        draft.stem, draft.raw_answer = _floating_letters(draft.stem, draft.options)
    draft.problems = _broken(block, split, parts.second_answer_at)
    if draft.raw_answer is None and draft.explanation and draft.options:
        draft.raw_answer = answer_in_explanation(draft.explanation, draft.options)
        draft.key_inferred = draft.raw_answer is not None
        if draft.key_inferred:
            draft.problems.append(Problem(block.line, "warning", FROM_EXPLANATION))
    draft.evidence = bool(
        len(split.options) >= 2
        or draft.raw_answer is not None
        or draft.explanation
        or tag
        or BLANK.search(fold(draft.stem))
        or ASKS.match(fold(draft.stem))
        or _QUESTION_MARK.search(fold(draft.stem))
    )
    return draft


def _tag(stem: str) -> tuple[str | None, str]:
    """'【单选题】下列…' -> ('单选题', '下列…')."""
    match = _TAG.match(fold(stem))
    if match is None:
        return None, stem
    return match.group("name") or match.group("bare"), stem[match.end() :]


def _tail_tag(stem: str) -> tuple[str | None, str, str | None]:
    """'…应当[判断题]* 对(正确答案) 错' -> ('判断题', '…应当', '对'): tag, stem, marked choice."""
    if "题" not in stem and "題" not in stem:
        return None, stem, None
    folded = fold(stem)
    match = next(reversed(list(_TAIL_TAG.finditer(folded))), None)
    if (
        match is None
        or not _CHOICES.fullmatch(folded, match.end())
        and folded[match.end() :].strip()
    ):
        return None, stem, None
    marked = [c.group("word") for c in _CHOICE.finditer(folded, match.end()) if c.group("mark")]
    chosen = stem[match.end() :].strip() and (marked[0] if len(marked) == 1 else None)
    return match.group("name"), stem[: match.start()].rstrip(), chosen or None


def _floating_letters(stem: str, options: list[Option]) -> tuple[str, str | None]:
    """'…补交有关材料。 C A.1 B.2…': letters left between the stem and its options are the
    answer, when they name options."""
    match = _FLOATING.search(fold(stem))
    if match is None or not set(match.group("letters")) <= {o.label for o in options}:
        return stem, None
    return stem[: match.start("letters")].rstrip(), match.group("letters")


def _points(stem: str) -> tuple[str, float | None]:
    """'…分析原因。（10分）' -> the stem without the mark, and 10."""
    match = _POINTS.search(fold(stem))
    if not match:
        return stem, None
    value = float(match.group("points") or match.group("lead"))
    return (stem[: match.start()] + stem[match.end() :]).strip(), value


def _answer_in_stem(draft: Draft) -> tuple[str, str | None]:
    """An answer written into the stem: '（ B ）', '（×）', or words in a fill-in bracket."""
    kind = draft.declared
    if draft.options:
        return letters_in_brackets(draft.stem, {o.label for o in draft.options})
    if kind == "fill_blank":
        stem, words = words_in_blanks(draft.stem)
        return stem, "；".join(words) if words else None
    if kind in (None, "true_false"):
        return true_false_in_stem(draft.stem)
    return draft.stem, None


def _broken(block: Block, split: Split, second_answer_at: int | None) -> list[Problem]:
    problems = []
    if split.missing:
        message = N_("缺少选项 %(labels)s", labels="、".join(split.missing))
        problems.append(Problem(block.line, "error", message))
    if second_answer_at is not None:
        message = N_("一道题出现两个答案，可能漏了下一题的题号")
        problems.append(Problem(block.line_of(second_answer_at), "error", message))
    return problems
