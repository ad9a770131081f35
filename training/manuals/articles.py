"""Articles (条) as the library shows them now, found by manual and stable anchor.

Question links and role-play steps both name articles this way, never by a stored part, so
they follow the manual into every new edition.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from training.database import db
from training.manuals.models import Manual, ManualEdition, ManualPart

ArticleKey = tuple[int, str]  # (manual id, anchor)


@dataclass(frozen=True)
class Article:
    """An article as the library shows it now: the current edition's, else the last one's."""

    manual_id: int
    manual_title: str
    slug: str
    anchor: str
    heading: str  # '第八条 服务规范'
    ordinal: int
    removed: bool  # no longer in the current edition

    @property
    def url(self) -> str:
        """The permalink, which opens the last edition that had the article when it was removed."""
        return url_for("manuals.permalink", slug=self.slug, anchor=self.anchor)


def articles_by_key(keys: Collection[ArticleKey]) -> dict[ArticleKey, Article]:
    """Resolve (manual, anchor) pairs to articles, in one query whatever their number."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(ManualPart, Manual.id, Manual.title, Manual.slug, ManualEdition.is_current)
        .join(ManualEdition, ManualPart.edition_id == ManualEdition.id)
        .join(Manual, ManualEdition.manual_id == Manual.id)
        .where(
            Manual.id.in_({manual_id for manual_id, _anchor in keys}),
            ManualPart.anchor.in_({anchor for _manual_id, anchor in keys}),
        )
        .order_by(ManualEdition.is_current.desc(), ManualEdition.version.desc())
    )
    articles: dict[ArticleKey, Article] = {}
    for part, manual_id, title, slug, is_current in rows:
        key = (manual_id, part.anchor)
        if key in keys and key not in articles:  # the first row is the newest edition's
            articles[key] = Article(
                manual_id, title, slug, part.anchor, part.heading, part.ordinal, not is_current
            )
    return articles


def articles_by_reference(refs: Collection[str]) -> dict[str, Article]:
    """Resolve `slug#anchor` references (as scenario files write them); unknown ones are left out."""
    wanted = {ref: ref.split("#", 1) for ref in refs if "#" in ref}
    slugs = {slug for slug, _anchor in wanted.values()}
    if not slugs:
        return {}
    ids = dict(db.session.execute(select(Manual.slug, Manual.id).where(Manual.slug.in_(slugs))).all())
    keys = {ref: (ids[slug], anchor) for ref, (slug, anchor) in wanted.items() if slug in ids}
    found = articles_by_key(set(keys.values()))
    return {ref: found[key] for ref, key in keys.items() if key in found}
