"""Manual sections as lessons: what a trainer can pick, and what a learner reads.

A lesson holds (manual, anchor), never a part id, so it always shows the section from the
manual's current edition, and keeps working when a new edition is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from training.database import db
from training.manuals.models import Manual, ManualEdition, ManualPart
from training.manuals.outline import PartNode, part_tree

PICKER_TEXT = 24  # characters of an untitled part shown in the picker


@dataclass(frozen=True)
class SectionOption:
    """A chapter or article a lesson can point at, as the picker lists it."""

    manual: Manual
    part: ManualPart

    @property
    def value(self) -> str:
        return f"{self.manual.id}:{self.part.anchor}"

    @property
    def label(self) -> str:
        """Indented by depth so the picker reads like the manual's table of contents; a part
        without a title ("第一条", "一、") shows the start of its text instead."""
        part = self.part
        name = part.heading if part.title else f"{part.label} {part.text[:PICKER_TEXT]}".strip()
        if not part.title and len(part.text) > PICKER_TEXT:
            name += "…"
        return "\u3000" * part.depth + name


@dataclass(frozen=True)
class ManualSection:
    """The part a lesson points at, with everything below it, from the current edition."""

    manual: Manual
    edition: ManualEdition
    part: ManualPart
    tree: list[PartNode[ManualPart]]


def _current_parts(manual_id: int | None = None) -> list[ManualPart]:
    """Parts of current editions (of one manual, or all) in reading order, in one query."""
    stmt = (
        select(ManualPart)
        .join(ManualPart.edition)
        .join(ManualEdition.manual)
        .where(ManualEdition.is_current.is_(True))
        .order_by(Manual.title, ManualPart.ordinal)
        .options(contains_eager(ManualPart.edition).contains_eager(ManualEdition.manual))
    )
    if manual_id is not None:
        stmt = stmt.where(ManualEdition.manual_id == manual_id)
    return list(db.session.scalars(stmt))


def _outside_articles(parts: list[ManualPart]) -> list[ManualPart]:
    """Chapters and articles: the parts a lesson may show, not the items inside an article."""
    chosen: list[ManualPart] = []
    article_depth: int | None = None
    for part in parts:
        if article_depth is not None and part.depth > article_depth:
            continue
        article_depth = part.depth if part.is_article else None
        chosen.append(part)
    return chosen


def section_options() -> list[SectionOption]:
    """Every manual's chapters and articles (current edition), grouped by manual title."""
    by_edition: dict[int, list[ManualPart]] = {}
    for part in _current_parts():
        by_edition.setdefault(part.edition_id, []).append(part)
    return [
        SectionOption(parts[0].edition.manual, part)
        for parts in by_edition.values()
        for part in _outside_articles(parts)
    ]


def _subtree(parts: list[ManualPart], anchor: str) -> list[ManualPart]:
    """The part named by `anchor` and the parts after it that are nested below it."""
    start = next((i for i, part in enumerate(parts) if part.anchor == anchor), None)
    if start is None:
        return []
    head = parts[start]
    below = []
    for part in parts[start + 1 :]:
        if part.depth <= head.depth:
            break
        below.append(part)
    return [head, *below]


def manual_section(manual_id: int | None, anchor: str | None) -> ManualSection | None:
    """The section in the manual's current edition; None when that edition no longer has it."""
    if manual_id is None or not anchor:
        return None
    parts = _subtree(_current_parts(manual_id), anchor)
    if not parts:
        return None
    head = parts[0]
    return ManualSection(head.edition.manual, head.edition, head, part_tree(parts))
