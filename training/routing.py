"""URL rules shared by every blueprint: ids that the database can actually hold."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

# Ids are `Integer` columns: 32-bit on PostgreSQL (64-bit on SQLite); a larger number can name
# no row, and the drivers refuse it with an error instead of finding nothing.
LARGEST_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` that does not match a number past LARGEST_ID, so such a URL is a 404.

    Without the bound the number reaches the database, which refuses it (SQLite's driver past
    2^63 with an OverflowError, PostgreSQL past 2^31 with "integer out of range"): a 500
    instead of simply finding nothing.
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Register before any blueprint: rules bind their converters when they are added."""
    app.url_map.converters["int"] = DatabaseIdConverter
