"""What every uploaded file passes before a parser sees it: size, zip inflation, plain text.

One guard for the question, manual and roster imports, on the web and on the command line, so
every refused file is refused the same way: one sentence that names it and says what to do,
never a parser's exception text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from flask import current_app
from flask_babel import gettext as _

from question_bank.formats.archive import (
    ZIP_SUFFIXES,
    ArchiveFault,
    ArchiveLimits,
    ArchiveRefused,
    check_archive,
    is_zip,
)
from question_bank.formats.encoding import decode_text
from training.errors import DomainError

MB = 1024 * 1024
_TEXT_SAMPLE = 64 * 1024
_MAX_UNPRINTABLE = 0.02  # share of control characters beyond which "text" is binary
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_KEPT_CONTROLS = frozenset("\t\n\r\f\v")


class UploadRefused(DomainError):
    """The file is not read at all; the message names it and says what to do."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    archive: ArchiveLimits


def upload_limits() -> UploadLimits:
    """The limits configured for this app (see README, configuration)."""
    config = current_app.config
    return UploadLimits(
        max_bytes=config["UPLOAD_MAX_MB"] * MB,
        archive=ArchiveLimits(config["UPLOAD_MAX_UNZIPPED_MB"] * MB, config["UPLOAD_MAX_ZIP_RATIO"]),
    )


def check_upload(data: bytes, filename: str) -> None:
    """Refuse a file no parser should open: empty, too large, a zip bomb, binary "text"."""
    limits = upload_limits()
    if not data:
        raise UploadRefused(_("「%(name)s」是空文件，请选择有内容的文件重新上传。", name=filename))
    if len(data) > limits.max_bytes:
        raise UploadRefused(_(
            "「%(name)s」有 %(size)s，超过 %(limit)s 的上限，请拆分成几个文件分批上传。",
            name=filename, size=_megabytes(len(data)), limit=_megabytes(limits.max_bytes),
        ))
    suffix = PurePath(filename).suffix.lower()
    if suffix in ZIP_SUFFIXES or is_zip(data):
        _check_zip(data, filename, suffix, limits.archive)
    elif _is_xml(data, suffix) and _DTD.search(data):
        raise UploadRefused(_(
            "「%(name)s」含有 DTD 或实体声明，出于安全原因不予读取，请重新导出不含 DOCTYPE 的文件后上传。",
            name=filename,
        ))
    elif _looks_binary(data):
        raise UploadRefused(_(
            "「%(name)s」不是文本文件，请另存为 UTF-8 或 GBK 编码的文本（或 .docx、.xlsx）后重新上传。",
            name=filename,
        ))


def _check_zip(data: bytes, filename: str, suffix: str, limits: ArchiveLimits) -> None:
    try:
        check_archive(data, limits)
    except ArchiveRefused as refused:
        if refused.fault is ArchiveFault.TOO_LARGE:
            raise UploadRefused(_(
                "「%(name)s」解压后过大（超过 %(limit)s 或压缩比异常），请删除其中的大图片或拆分文件后重新上传。",
                name=filename, limit=_megabytes(limits.max_unpacked),
            )) from refused
        program = "Excel" if suffix in (".xlsx", ".xlsm") else "Word"
        raise UploadRefused(_(
            "「%(name)s」不是有效的 %(program)s 文件，请用 %(program)s 打开后另存为 %(suffix)s 再上传。",
            name=filename, program=program, suffix=".xlsx" if program == "Excel" else ".docx",
        )) from refused


def _is_xml(data: bytes, suffix: str) -> bool:
    return suffix == ".xml" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _looks_binary(data: bytes) -> bool:
    """Control characters (other than line breaks and tabs) a text file never holds."""
    sample = decode_text(data[:_TEXT_SAMPLE]).text
    unprintable = sum(
        1 for char in sample
        if char == "\ufffd" or (unicodedata.category(char) == "Cc" and char not in _KEPT_CONTROLS)
    )
    return unprintable > _MAX_UNPRINTABLE * max(len(sample), 1)


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"
