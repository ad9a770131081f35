"""Where to send the browser after a form: every feature follows `next` through this one check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default: str = "home.index", **values: object) -> str:
    """Follow `next` only to a path on this site, never to another host; otherwise go to the
    `default` endpoint (built with `values`)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for(default, **values)
