"""Read a raw answer ('A,B,D', '√', '服务；满意', '答：…') as the value its type stores.

The same raw text means different things by type, so the type is settled first: from the
section, else from the question itself (options, a √/× answer, blanks in the stem).
"""

from __future__ import annotations

import re

from question_bank.formats.cn_text.vocabulary import BLANK, TF_FALSE, TF_TRUE, TF_WORD, fold
from question_bank.formats.cn_text.wrapping import unwrap
from question_bank.model import QUESTION_TYPES, Answer, Option
from question_bank.texts import N_

DECLARED = frozenset(QUESTION_TYPES)
_LABELS = re.compile(r"^\s*(?:选择?)?\s*([A-Ha-h](?:[\s,、;/和及与]*[A-Ha-h])*)(?![A-Za-z])")
_TRUTH = re.compile(rf"^\s*\(?\s*({TF_WORD}|true|false)(?![A-Za-z])", re.IGNORECASE)
_TRUTH_END = re.compile(r"\s*\)?\s*[。.!]?\s*$")
_BLANK_SPLIT = re.compile(r"[;；\n]+")
_WORD_SPLIT = re.compile(r"[\s、,，]+")
_NUMBERED = re.compile(r"[①-⑳]|\(\d{1,2}\)|(?<![^\s;；,，、])\d{1,2}[.、)](?!\d)")
_ALTERNATIVES = re.compile(r"\s*(?:[/|｜]|或(?![者许是]))\s*")


def infer_type(declared: str | None, options: list[Option], raw: str | None, stem: str) -> str:
    """The type a section or tag declares, else the one the question's shape implies."""
    if declared in DECLARED:
        return declared
    if options:
        if truth_options(options):
            return "true_false"
        return "multiple" if len(choice_labels(raw or "") or []) > 1 else "single"
    if declared == "choice":
        return "single"
    if raw and truth(raw, whole=True) is not None:
        return "true_false"
    return "fill_blank" if BLANK.search(fold(stem)) else "short_answer"


def convert(qtype: str, raw: str | None, options: list[Option], stem: str) -> Answer:
    """The stored answer for `raw`; ValueError says why a given answer cannot be used."""
    if raw is None or not raw.strip():
        return None
    if qtype in ("single", "multiple"):
        return _required(choice_labels(raw), N_("答案无法识别: '%(raw)s'，应为选项字母", raw=_shown(raw)))
    if qtype == "true_false":
        return _required(_truth_of(raw, options), N_("答案无法识别: '%(raw)s'，应为对/错", raw=_shown(raw)))
    if qtype == "fill_blank":
        return _required(
            blanks(raw, len(BLANK.findall(fold(stem)))),
            N_("答案无法识别: '%(raw)s'，应为填空答案", raw=_shown(raw)),
        )
    return unwrap(raw) or None


def choice_labels(raw: str) -> list[str] | None:
    """'A,B,D' / 'abd' / '选B' -> sorted unique upper-case letters."""
    match = _LABELS.match(fold(raw))
    if not match:
        return None
    return sorted({c.upper() for c in match.group(1) if c.isalpha() and c.upper() in "ABCDEFGH"})


def truth(raw: str, whole: bool = False) -> bool | None:
    """√ ✓ 对 正确 T -> True; × ✗ 错 错误 F -> False; anything else None.

    `whole` demands that the mark is all there is, so '是指…' is not read as 是.
    """
    folded = fold(raw)
    match = _TRUTH.match(folded)
    if not match or (whole and not _TRUTH_END.match(folded, match.end())):
        return None
    word = match.group(1).upper()
    if word in ("TRUE", "FALSE"):
        return word == "TRUE"
    return word in TF_TRUE if word in TF_TRUE + TF_FALSE else None


def truth_options(options: list[Option]) -> dict[str, bool] | None:
    """Options 'A.正确 B.错误' (or 对/错, √/×) as a letter -> truth map."""
    if len(options) != 2:
        return None
    found = {o.label: value for o in options if (value := truth(o.text, whole=True)) is not None}
    return found if len(found) == 2 and len(set(found.values())) == 2 else None


def blanks(raw: str, count: int) -> list[list[str]] | None:
    """One list of accepted words per blank: blanks split by ；/; (or by spaces and 、 when the
    stem has several blanks), alternatives by / | 或."""
    text = unwrap(raw).strip().rstrip("。.")
    pieces = [p for p in _NUMBERED.split(text) if p.strip()] if _NUMBERED.search(text) else []
    if len(pieces) < 2:
        pieces = [p for p in _BLANK_SPLIT.split(text) if p.strip()]
    if len(pieces) == 1 and count > 1:
        pieces = [p for p in _WORD_SPLIT.split(text) if p.strip()]
    answers = [[a for a in _ALTERNATIVES.split(p.strip(" ,，、")) if a] for p in pieces]
    return [a for a in answers if a] or None


def _truth_of(raw: str, options: list[Option]) -> bool | None:
    mapped = truth_options(options) if options else None
    if mapped:
        letters = choice_labels(raw)
        if letters and len(letters) == 1 and letters[0] in mapped:
            return mapped[letters[0]]
    return truth(raw)


def _shown(raw: str) -> str:
    """The start of an unreadable answer, enough to find it in the file."""
    return raw.strip()[:30]


def _required(value: Answer, message: str) -> Answer:
    if value is None:
        raise ValueError(message)
    return value
