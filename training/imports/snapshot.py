"""A parse result kept as JSON beside its staged upload, and read back as the same dataclasses.

The preview of a large file is parsed once, when it is uploaded: every later view of the
preview and its commit read the stored result instead of parsing the file again, on whichever
stateless app server they land.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, TypeVar

import dacite

T = TypeVar("T")
# The JSON was written by `freeze` from the same classes: no need to check every value.
_CONFIG = dacite.Config(
    cast=[tuple, frozenset], type_hooks={date: date.fromisoformat}, check_types=False
)


def freeze(result: Any) -> dict[str, Any]:
    """A dataclass tree as JSON-ready values (dates as ISO text, sets and tuples as lists)."""
    return _plain(dataclasses.asdict(result))


def thaw(cls: type[T], data: dict[str, Any]) -> T:
    """The dataclass tree `freeze` stored."""
    return dacite.from_dict(cls, data, _CONFIG)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item) for item in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, date):
        return value.isoformat()
    return value
