"""URL rules shared by every blueprint: ids that the database can actually hold."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

# Both engines store ids as signed 64-bit integers; a larger number can name no row.
LARGEST_ID = 2**63 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` that does not match a number past LARGEST_ID, so such a URL is a 404.

    Without the bound the number reaches the database driver, which refuses it with an
    OverflowError (a 500) instead of simply finding nothing.
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Register before any blueprint: rules bind their converters when they are added."""
    app.url_map.converters["int"] = DatabaseIdConverter
