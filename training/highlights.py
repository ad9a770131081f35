"""What the sign-in page says the product does.

Each feature adds its own line when its package is loaded, so the page lists exactly what this
release ships: a feature still being built (role-play, certification) cannot be advertised by
a line someone forgot to remove.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString


@dataclass(frozen=True)
class Highlight:
    text: LazyString
    icon: str
    order: int


HIGHLIGHTS: list[Highlight] = []


def register_highlight(text: LazyString, icon: str, *, order: int = 100) -> None:
    """Add a line about a shipped feature to the sign-in page."""
    HIGHLIGHTS.append(Highlight(text, icon, order))
    HIGHLIGHTS.sort(key=lambda item: item.order)
