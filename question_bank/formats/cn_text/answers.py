"""Answers and explanations written with the question: 答案：B, 【解析】…, or '属于（ B ）'.

A question's text is cut at its markers into the question itself, the raw answer and the
explanation; turning the raw answer into labels, true/false or blanks is `values`' job, once
the type is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.formats.cn_text.vocabulary import MARKERS, TF_MARK, fold
from question_bank.formats.cn_text.wrapping import unwrap
from question_bank.model import Option

_LETTERS = re.compile(r"\(\s*(?P<answer>[A-Ha-h](?:\s*[,、]?\s*[A-Ha-h])*)\s*\)")
_TF_BRACKET = re.compile(rf"\(\s*(?P<answer>{TF_MARK}|正确|错误|对|错)\s*\)")
_TF_TAIL = re.compile(rf"(?P<answer>{TF_MARK})\s*[。.]?\s*$")
# '…是加拿大人,对吗? 对' / '…正确吗?错 等于零': the answer after the question, maybe a note.
_TF_AFTER_QUESTION = re.compile(r"(?<=\?)\s*(?P<answer>对|错|正确|错误)(?:[\s,。.]+\S{0,20})?\s*$")
# '…D.xx（答案：B）': the bracket opened just before a marker belongs to the marker.
_OPENING = re.compile(r"\s*[(（\[【]\s*$")
_PADDED = re.compile(r"\(\s+(?P<answer>[^()\s][^()]{0,39}?)\s+\)")


# How an explanation names the right option: '故选B', '答案为B', '正确答案是 AC'.
_NAMES_LETTERS = re.compile(
    r"(?:选择?|答案\s*(?:应|应该)?\s*(?:是|为)|正确(?:选项|答案)\s*(?:是|为)?)\s*:?\s*"
    r"(?P<letters>[A-H](?:\s*[,、]?\s*[A-H])*)(?![A-Za-z])"
)
_QUOTED = re.compile(r"[“\"「『](?P<text>[^”\"」』\n]{1,60})[”\"」』]")


@dataclass
class Parts:
    """A question's text cut at its answer and explanation markers."""

    question: str
    answer: str | None = None
    explanation: str | None = None
    second_answer_at: int | None = None


def split_parts(text: str) -> Parts:
    """Cut `text` at 答案/解析 markers; metadata such as 【难度】 only ends the part before it."""
    marks = list(MARKERS.finditer(fold(text)))
    if not marks:
        return Parts(text)
    parts = Parts(_OPENING.sub("", text[: marks[0].start()]))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = unwrap(text[mark.end() : following.start() if following else len(text)])
        _assign(parts, mark, body)
    return parts


def answer_in_explanation(explanation: str, options: list[Option]) -> str | None:
    """The letters an explanation names ('故选B'), or the one option whose text it quotes
    ('正确答案是"升级处理"'); None unless every such mention agrees on one answer."""
    folded = fold(explanation)
    labels = {o.label for o in options}
    named = {
        "".join(sorted(set(re.sub(r"[\s,、]", "", m.group("letters")))))
        for m in _NAMES_LETTERS.finditer(folded)
    }
    texts = {fold(o.text).strip(): o.label for o in options if o.text.strip()}
    quoted = {texts[q] for m in _QUOTED.finditer(folded) if (q := m.group("text").strip()) in texts}
    found = named | quoted
    if len(found) != 1:
        return None
    answer = found.pop()
    return answer if set(answer) <= labels else None


def letters_in_brackets(stem: str, labels: set[str]) -> tuple[str, str | None]:
    """'…属于（ B ）。' -> the stem with an empty bracket, and 'B' when B is an option."""
    for match in reversed(list(_LETTERS.finditer(fold(stem)))):
        letters = set(re.sub(r"[\s,、]", "", match.group("answer")).upper())
        if letters <= labels:
            return _blanked(stem, match), match.group("answer")
    return stem, None


def true_false_in_stem(stem: str) -> tuple[str, str | None]:
    """'…是对的。（×）' or '…是对的。√' -> the stem without the mark, and the mark."""
    folded = fold(stem)
    brackets = list(_TF_BRACKET.finditer(folded))
    if brackets:
        return _blanked(stem, brackets[-1]), brackets[-1].group("answer")
    tail = _TF_TAIL.search(folded) or _TF_AFTER_QUESTION.search(folded)
    if tail is not None:
        return stem[: tail.start()].rstrip(), tail.group("answer")
    return stem, None


def words_in_blanks(stem: str) -> tuple[str, list[str]]:
    """'…的核心是（ 客户满意 ）' in a fill-in section -> blanked stem and the words."""
    folded = fold(stem)
    found = list(_PADDED.finditer(folded))
    for match in reversed(found):
        stem = _blanked(stem, match)
    return stem, [match.group("answer") for match in found]


def _assign(parts: Parts, mark: re.Match[str], body: str) -> None:
    body = _unopened_close(body)
    kind = mark.lastgroup
    if kind == "answer" and parts.answer is None:
        parts.answer = body
    elif kind == "answer" and parts.second_answer_at is None:
        parts.second_answer_at = mark.start()
    elif kind == "explanation" and parts.explanation is None:
        parts.explanation = body or None


def _unopened_close(body: str) -> str:
    """'B）' of '…D.xx（答案：B）': the bracket closes one opened before the marker."""
    folded = fold(body)
    if folded.endswith((")", "]", "】")) and folded.count(")") > folded.count("("):
        return body[:-1].rstrip()
    return body


def _blanked(stem: str, match: re.Match[str]) -> str:
    return stem[: match.start("answer")] + stem[match.end("answer") :]
