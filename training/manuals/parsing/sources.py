"""Read an uploaded regulation (.txt/.md in UTF-8/GBK/GB18030, or .docx) into lines."""

from __future__ import annotations

import io
import re

import docx

from question_bank.formats.encoding import decode_text
from question_bank.texts import N_

_ZIP_MAGIC = b"PK\x03\x04"
_NEWLINE = re.compile(r"\r\n|\r|\n")


class ManualReadError(ValueError):
    """The file could not be read at all (e.g. a corrupt .docx)."""


def read_lines(data: bytes, filename: str | None) -> tuple[list[str], str]:
    """Lines of the file and the encoding used ("docx" for Word files)."""
    if (filename or "").lower().endswith(".docx") or data.startswith(_ZIP_MAGIC):
        return _docx_paragraphs(data), "docx"
    decoded = decode_text(data)
    return _NEWLINE.split(decoded.text), decoded.encoding


def _docx_paragraphs(data: bytes) -> list[str]:
    """One line per Word paragraph, so problems cite paragraph numbers."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # zipfile, lxml and python-docx each raise their own types
        message = N_("无法读取 .docx 文件, 请用 Word 另存为 .docx 后重试")
        raise ManualReadError(message) from error
    return [paragraph.text for paragraph in document.paragraphs]
