"""The reader shows one chapter at a time, so no page grows with the whole regulation.

A page is a top-level division (第一章 with everything in it), or, in a regulation whose
articles stand at the top level, a run of up to `ARTICLES_PER_PAGE` of them. Pages are
ordinal ranges of the stored parts: listing them reads only the top-level parts, showing one
reads only its own rows, and a permalink finds its page from the article's ordinal.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import func, select

from training.database import db
from training.manuals.models import ManualEdition, ManualPart

ARTICLES_PER_PAGE = 30


@dataclass(frozen=True)
class ReaderPage:
    """Parts with ordinals from `start` up to (not including) `end`; None: to the end."""

    number: int
    heading: str
    start: int
    end: int | None


@dataclass(frozen=True)
class _Top:
    ordinal: int
    heading: str
    is_article: bool


def reader_pages(edition: ManualEdition) -> list[ReaderPage]:
    """The edition's pages in reading order (one query over its top-level parts)."""
    rows = db.session.execute(
        select(ManualPart.ordinal, ManualPart.label, ManualPart.title, ManualPart.is_article)
        .where(ManualPart.edition_id == edition.id, ManualPart.depth == 0)
        .order_by(ManualPart.ordinal)
    )
    groups = _group([_Top(o, " ".join(filter(None, (label, title))), a) for o, label, title, a in rows])
    starts = [group[0].ordinal for group in groups]
    return [
        ReaderPage(number, _heading(group), start, end)
        for number, (group, start, end) in enumerate(
            zip(groups, starts, [*starts[1:], None], strict=True), start=1
        )
    ]


def _group(tops: list[_Top]) -> list[list[_Top]]:
    """Each division alone; consecutive top-level articles in runs of ARTICLES_PER_PAGE."""
    groups: list[list[_Top]] = []
    for top in tops:
        last = groups[-1] if groups else None
        if top.is_article and last and last[0].is_article and len(last) < ARTICLES_PER_PAGE:
            last.append(top)
        else:
            groups.append([top])
    return groups


def _heading(group: list[_Top]) -> str:
    """'第二章 投诉处理', or '第一条 – 第三十条' for a run of articles."""
    if len(group) == 1:
        return group[0].heading
    return f"{group[0].heading.split(' ')[0]} – {group[-1].heading.split(' ')[0]}"


def page_parts(edition: ManualEdition, page: ReaderPage) -> list[ManualPart]:
    """The parts of one page, in reading order."""
    query = select(ManualPart).where(
        ManualPart.edition_id == edition.id, ManualPart.ordinal >= page.start
    )
    if page.end is not None:
        query = query.where(ManualPart.ordinal < page.end)
    return list(db.session.scalars(query.order_by(ManualPart.ordinal)))


def page_of_anchor(edition: ManualEdition, pages: list[ReaderPage], anchor: str) -> ReaderPage:
    """The page holding the part a permalink names (the first page if it is not there)."""
    ordinal = db.session.scalar(
        select(ManualPart.ordinal).filter_by(edition_id=edition.id, anchor=anchor)
    )
    index = bisect_right([page.start for page in pages], ordinal or 0) - 1
    return pages[max(index, 0)]


def article_count(edition: ManualEdition) -> int:
    return db.session.scalar(
        select(func.count()).where(
            ManualPart.edition_id == edition.id, ManualPart.is_article.is_(True)
        )
    )
