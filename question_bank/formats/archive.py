"""The shared guard for zip-based uploads (.docx, .xlsx), run before any parser opens one.

A zip member can inflate a thousand times: a 1 MB .docx that holds 1 GiB of repeated XML
takes python-docx or openpyxl to gigabytes of memory. The central directory states every
member's sizes, so they are checked here without inflating anything; while reading, zipfile
never returns more than the stated size of a member (and fails its CRC check if the data
disagrees), so the stated sizes bound what any parser can be made to hold.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from enum import Enum
from io import BytesIO

ZIP_MAGIC = b"PK\x03\x04"
ZIP_SUFFIXES = frozenset({".docx", ".xlsx", ".xlsm"})
# Below this size a member's ratio does not matter (tiny XML parts of spaces compress 1000:1).
_RATIO_FLOOR = 1024 * 1024


class ArchiveFault(Enum):
    UNREADABLE = "unreadable"
    TOO_LARGE = "too_large"


class ArchiveRefused(ValueError):
    """The archive is not read: it is no zip at all, or it would inflate beyond the limits."""

    def __init__(self, fault: ArchiveFault, unpacked: int = 0) -> None:
        super().__init__(fault.value)
        self.fault = fault
        self.unpacked = unpacked


@dataclass(frozen=True)
class ArchiveLimits:
    """How far a zip upload may inflate: in all, and member by member."""

    max_unpacked: int = 100 * 1024 * 1024
    max_ratio: int = 100


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def check_archive(data: bytes, limits: ArchiveLimits = ArchiveLimits()) -> None:
    """Refuse a zip that cannot be opened or whose stated sizes exceed `limits`."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise ArchiveRefused(ArchiveFault.UNREADABLE) from error
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked or any(_inflates(member, limits) for member in members):
        raise ArchiveRefused(ArchiveFault.TOO_LARGE, unpacked)


def _inflates(member: zipfile.ZipInfo, limits: ArchiveLimits) -> bool:
    """A large member packed far tighter than documents ever are."""
    return (
        member.file_size > _RATIO_FLOOR
        and member.file_size > limits.max_ratio * max(member.compress_size, 1)
    )
