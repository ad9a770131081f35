"""Helpers shared by the GIFT, Aiken, Moodle XML and spreadsheet importers and exporters."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from question_bank.model import ImportResult, Problem, Question, Severity, Source
from question_bank.texts import N_
from question_bank.types import BLANK_MARKER, validate_all

BLANK = "____"
MOODLE_TOP = "$course$/top"
_CATEGORY_PREFIX = re.compile(r"^\$(course|system|module|cat\d*)\$(/|$)")
_TOP = re.compile(r"^top(/|$)")
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote"}
)
_DROPPED_TAGS = frozenset({"script", "style", "head", "title", "template"})
# XML 1.0 and Excel cannot hold control characters other than tab and line breaks.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML fragment, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "img":
            self.parts.append("[图片]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags and scripts gone, entities decoded, images marked.

    The result is text, never markup, so pages that render it with escaping stay safe.
    """
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = "".join(extractor.parts).split("\n")
    kept = (" ".join(line.split()) for line in lines)
    return "\n".join(line for line in kept if line)


def clean_category(path: str) -> str | None:
    """'$course$/top/售后/退换货' -> '售后/退换货': drop Moodle's context and 'top' prefixes."""
    cleaned = _TOP.sub("", _CATEGORY_PREFIX.sub("", path.strip())).strip("/ ")
    return cleaned or None


def moodle_category_path(category: str | None) -> str:
    """The category path Moodle expects, the inverse of `clean_category`."""
    return f"{MOODLE_TOP}/{category}" if category else MOODLE_TOP


def embed_blanks(stem: str, codes: list[str], quote: Callable[[str], str]) -> str | None:
    """The stem with each blank marker replaced by its answer code (the text between quoted),
    or None when the stem does not mark exactly one blank per code."""
    pieces = BLANK_MARKER.split(stem)
    if len(pieces) != len(codes) + 1:
        return None
    return quote(pieces[0]) + "".join(
        code + quote(p) for code, p in zip(codes, pieces[1:], strict=True)
    )


def share_of_100(count: int) -> str:
    """100 percent split among `count` right answers, at the precision Moodle's grade list uses
    (33.33333), for multiple-choice weights in GIFT and fractions in Moodle XML."""
    return f"{100 / max(count, 1):.5f}".rstrip("0").rstrip(".")


def printable(text: str) -> str:
    """Drop control characters that XML and spreadsheets cannot store (pasted from Word)."""
    return _UNPRINTABLE.sub("", text)


def backslash_escape(text: str, special: str) -> str:
    """Put a backslash before every character of `special` (which should include it)."""
    return "".join("\\" + c if c in special else c for c in text)


def split_unescaped(text: str, markers: str) -> list[tuple[str, str]]:
    """Split at marker characters not escaped by a backslash: (marker, text) pairs, the lead
    piece with marker ''. Escapes stay in the text for the caller's own unescaping."""
    parts: list[tuple[str, str]] = []
    marker, begin, i = "", 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in markers:
            parts.append((marker, text[begin:i]))
            marker, begin = text[i], i + 1
        i += 1
    parts.append((marker, text[begin:]))
    return parts


def partial_credit_warning(dropped: int) -> list[str]:
    """The bank keeps full-credit answers only; say how many partial-credit ones were left out."""
    if not dropped:
        return []
    return [N_("答案: 已忽略 %(count)s 个部分得分的答案", count=dropped)]


def finish(result: ImportResult) -> ImportResult:
    """Add every parsed question's validation problems and order all problems by line."""
    result.problems.extend(validate_all(result.questions))
    result.problems.sort(key=lambda problem: problem.line or 0)
    return result


class Rejected(ValueError):
    """Something the bank cannot take; the message names it, severity says if anything is lost."""

    def __init__(self, message: str, severity: Severity = "error", line: int | None = None):
        super().__init__(message)
        self.severity: Severity = severity
        self.line = line


def collect(
    result: ImportResult,
    read: Callable[[], tuple[Question, list[str]]],
    *,
    line: int | None,
    filename: str | None,
    category: str | None,
) -> None:
    """Add the question `read` makes to `result` with its warnings, or the reason it was refused."""
    try:
        question, warnings = read()
    except Rejected as rejected:
        result.problems.append(Problem(line, rejected.severity, str(rejected)))
        return
    question.category = category
    question.source = Source(filename, line)
    result.questions.append(question)
    result.problems.extend(Problem(line, "warning", warning) for warning in warnings)
