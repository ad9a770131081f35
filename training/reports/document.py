"""A report as plain data: what the page shows, and what Excel, CSV and PDF export.

Every report builder (exam report, item analysis, person profile, team comparison, learning,
weak articles) returns a `Report`; the page template renders it, and `exports` writes the very
same tables and charts to Excel (a sheet per table), CSV and PDF, so the numbers can never
differ between them. Builders are registered by name (`register`) so a background job or a
saved report definition can run one from its name and its filters alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum

from training.reports.filters import Filters
from training.spreadsheets import Cell


class Kind(StrEnum):
    """How a column's values are written: Excel number formats, CSV text, page alignment."""

    TEXT = "text"
    INT = "int"
    NUMBER = "number"  # two decimals
    PERCENT = "percent"  # values in percent (0–100), written with a percent format
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    title: str  # already translated
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name in Excel, a heading on the page and in the PDF
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Cell]]
    # Per row, an optional link for the page (drill-down); never exported.
    links: Sequence[str | None] = ()


@dataclass(frozen=True)
class Chart:
    """A chart as a standalone SVG document (pygal), shown with <img> and embedded in the PDF."""

    title: str
    svg: bytes


@dataclass(frozen=True)
class Report:
    name: str  # the registered builder's name, e.g. "exam"
    title: str
    filters: Filters
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = field(default=())  # sentences shown above the tables (and in PDF)


Builder = Callable[[Filters], Report]
BUILDERS: dict[str, Builder] = {}


def register(name: str) -> Callable[[Builder], Builder]:
    """Make a report builder runnable by name (pages, background exports, saved definitions)."""

    def add(builder: Builder) -> Builder:
        if name in BUILDERS:
            raise ValueError(f"report {name!r} registered twice")
        BUILDERS[name] = builder
        return builder

    return add


def build(name: str, filters: Filters) -> Report:
    """Run the builder registered as `name`; KeyError names an unknown report."""
    return BUILDERS[name](filters)


ProgressCallback = Callable[[int], None]  # percent done, 0–100
_progress: ContextVar[ProgressCallback | None] = ContextVar("report_progress", default=None)


def report_progress(done: int, total: int) -> None:
    """Tell whoever runs this builder how far it is (`done` of `total` steps).

    Optional for builders: a slow one calls it between its queries so a background export shows
    a moving progress bar; on a page, nobody listens and it costs nothing."""
    listener = _progress.get()
    if listener is not None and total > 0:
        listener(max(0, min(100, done * 100 // total)))


@contextmanager
def progress_to(listener: ProgressCallback) -> Iterator[None]:
    """Send the `report_progress` calls of builders run inside the block to `listener`."""
    token = _progress.set(listener)
    try:
        yield
    finally:
        _progress.reset(token)
