"""Registry of import formats and automatic format detection.

Every format module exposes a parser `(data: bytes, filename: str | None) -> ImportResult` that
never raises on bad input. The registry names modules lazily so importing the registry does not
pull in python-docx, openpyxl or pandas for callers that only parse text.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import PurePath

from question_bank.model import ImportResult, Problem
from question_bank.texts import N_

Parser = Callable[[bytes, str | None], ImportResult]

# format name -> "module:function"
FORMATS: dict[str, str] = {
    "cn-text": "question_bank.formats.cn_text:parse",
    "docx": "question_bank.formats.docx:parse",
    "gift": "question_bank.formats.gift:parse",
    "aiken": "question_bank.formats.aiken:parse",
    "moodle-xml": "question_bank.formats.moodle_xml:parse",
    "xlsx": "question_bank.formats.spreadsheet:parse_xlsx",
    "csv": "question_bank.formats.spreadsheet:parse_csv",
}

_EXTENSIONS: dict[str, str] = {
    ".docx": "docx",
    ".xml": "moodle-xml",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".gift": "gift",
    ".aiken": "aiken",
}

_AIKEN_ANSWER = re.compile(r"^ANSWER:\s*[A-Z]\s*$", re.MULTILINE)
_CN_OPTION = re.compile(r"^\s*[(（]?[A-DＡ-Ｄ][)）]?\s*[.．、]", re.MULTILINE)
_GIFT_QUESTION = re.compile(r"\{[^{}]*[=~][^{}]*\}|\{\s*(T|F|TRUE|FALSE)\s*\}", re.IGNORECASE)


def get_parser(name: str) -> Parser:
    """Return the parser registered under a format name (KeyError for unknown names)."""
    module_name, function_name = FORMATS[name].split(":")
    return getattr(importlib.import_module(module_name), function_name)


def detect_format(data: bytes, filename: str | None = None) -> str:
    """Guess the format from the file extension, then from the content of text files."""
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if data[:2] == b"PK":
        return "xlsx" if b"xl/" in data[:2000] else "docx"
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<quiz"):
        return "moodle-xml"
    from question_bank.formats.encoding import decode_text

    text = decode_text(data).text
    if _AIKEN_ANSWER.search(text):
        return "aiken"
    if _looks_like_gift(text):
        return "gift"
    return "cn-text"


def _looks_like_gift(text: str) -> bool:
    """Answer blocks in braces, and no Chinese exam-paper option lines such as "A." or "A、"."""
    if not _GIFT_QUESTION.search(text):
        return False
    return "::" in text or not _CN_OPTION.search(text)


def parse(data: bytes, filename: str | None = None, format: str = "auto") -> ImportResult:
    """Parse a file in the given (or detected) format; unknown formats become a problem."""
    name = detect_format(data, filename) if format == "auto" else format
    if name not in FORMATS:
        return ImportResult(
            format=name,
            problems=[Problem(None, "error", N_("未知的格式: %(name)s", name=name))],
        )
    return get_parser(name)(data, filename)
