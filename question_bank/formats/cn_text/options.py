"""Split a question's text into its stem and its labelled options.

Labels must come in order (A, B, C…), which is what lets options run together on one line
('A.产品B.服务C.竞争') without mistaking 'CRM' or '维生素A' for a label: only the expected next
letter counts. A second run starting again at A means the next question lost its number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from question_bank.formats.cn_text.vocabulary import CJK, fold
from question_bank.formats.cn_text.wrapping import unwrap
from question_bank.model import Option

# A label glued to a letter only when that letter is the whole previous option: 'A.AB.BC.CD.D'
# (options that are the letters themselves, run together).
_LABEL = re.compile(
    r"\((?P<paren>[A-H])\)"
    r"|(?:(?<![A-Za-z])|(?<=[A-H][.、][A-H]))(?P<plain>[A-H])\s?(?P<sep>[.、:)]|,(?=\s*\S))"
)
# 'A非客户B潜在客户': labels without separator, glued to Chinese text, read only in order and
# only when a question has no labels with separators.
_BARE = re.compile(rf"(?<![A-Za-z0-9])(?P<bare>[A-H])(?:(?=[{CJK}“\"《(])|\s+(?=[\d{CJK}]))")
# '(正确答案)' after an option, as survey tools print it (OCR writes 止确 or 正所).
# '()B.…': the answer bracket some papers print before every option.
_EMPTY_BRACKET = re.compile(r"^\s*(?:\(\s*\)\s*)?")
_TRAILING_BRACKET = re.compile(r"\s*\(\s*\)\s*$")
_MARKED = re.compile(r"\s*\(\s*(?:[正止][确所]答案|正确选项|答案)\s*\)\s*$|(?<=\S)\s+[√✓✔]\s*$")
_OPTIONS_HEADING = re.compile(r"[【\[]\s*选项\s*[】\]]\s*$|选项\s*:\s*$")
# 'D.A、B、C都对': letters naming other options, not a new run of labels.
_LETTER_LIST = re.compile(r"\s*[A-H]\s*[.、,和与及]")
_PUNCTUATION = set("。.;,:?!)]】」”'\"、")


@dataclass(frozen=True)
class _Label:
    letter: str
    start: int
    end: int
    strong: bool


@dataclass
class Split:
    """Stem, options, letters marked correct inside options, and what looked wrong."""

    stem: str
    options: list[Option] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    restart_at: int | None = None
    last_label_end: int | None = None
    missing: list[str] = field(default_factory=list)


def split_options(text: str) -> Split:
    """Find the ordered option labels in `text`; everything before the first is the stem."""
    folded = fold(text)
    labels, restart_at = _pick_labels(folded)
    if len(labels) < 2:
        labels, restart_at = _bare_labels(folded) or labels, None
    if not labels:
        return Split(unwrap(text))
    ends = [label.start for label in labels[1:]] + [restart_at or len(text)]
    split = Split(
        _stem(text[: labels[0].start]), restart_at=restart_at, last_label_end=labels[-1].end
    )
    for label, end in zip(labels, ends, strict=True):
        option = _option(label.letter, text[label.end : end], split)
        split.options.append(option)
    split.missing = _missing(labels)
    return split


def starts_options(folded: str) -> bool:
    """Whether a line fragment begins with an option label (after an empty answer bracket,
    as in '()A.现场查勘'), or holds a label A."""
    start = folded.lstrip()
    if _LABEL.match(_EMPTY_BRACKET.sub("", start) if start.startswith("(") else start):
        return True
    return any((m.group("paren") or m.group("plain")) == "A" for m in _LABEL.finditer(folded))


def _pick_labels(folded: str) -> tuple[list[_Label], int | None]:
    labels: list[_Label] = []
    for match in _LABEL.finditer(folded):
        label = _label(match, folded)
        expected = chr(ord(labels[-1].letter) + 1) if labels else "A"
        if match.group("sep") == "," and not (label.strong and label.letter == expected):
            continue
        if _after_digit(folded, label) and (label.letter != expected or not labels):
            continue
        if label.letter == "A" and len(labels) == 1:
            labels[0] = label
        elif label.letter == "A" and len(labels) > 1 and not _LETTER_LIST.match(folded, label.end):
            return labels, match.start()
        elif label.letter == expected or (labels and label.letter > expected and label.strong):
            labels.append(label)
    if len(labels) == 1 and not labels[0].strong:
        return [], None
    return labels, None


def _after_digit(folded: str, label: _Label) -> bool:
    """'A、70B、75': a label glued to a number option's digits counts only as the next label."""
    return label.start > 0 and folded[label.start - 1].isdigit()


def _bare_labels(folded: str) -> list[_Label]:
    """Labels A, B, C… glued to their text, in order from A, at least two; else none."""
    labels: list[_Label] = []
    for match in _BARE.finditer(folded):
        expected = chr(ord(labels[-1].letter) + 1) if labels else "A"
        if match.group("bare") == expected:
            labels.append(_Label(expected, match.start(), match.end(), strong=False))
        elif match.group("bare") == "A" and len(labels) < 2:
            labels = [_Label("A", match.start(), match.end(), strong=False)]
    return labels if len(labels) >= 2 else []


def _label(match: re.Match[str], folded: str) -> _Label:
    start = match.start()
    before = folded[start - 1] if start else " "
    strong = before.isspace() or before in _PUNCTUATION or bool(match.group("paren"))
    return _Label(match.group("paren") or match.group("plain"), start, match.end(), strong)


def _stem(text: str) -> str:
    match = _OPTIONS_HEADING.search(fold(text))
    return unwrap(text[: match.start()] if match else text)


def _option(letter: str, raw: str, split: Split) -> Option:
    text = unwrap(raw)
    text = _TRAILING_BRACKET.sub("", text) if text.endswith((")", "）")) else text
    marked = _MARKED.search(fold(text))
    if marked:
        split.marked.append(letter)
        text = text[: marked.start()].strip()
    return Option(letter, text)


def _missing(labels: list[_Label]) -> list[str]:
    present = {label.letter for label in labels}
    last = max(present)
    return [chr(c) for c in range(ord("A"), ord(last)) if chr(c) not in present]
