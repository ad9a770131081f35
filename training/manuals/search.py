"""Chinese full-text search over the current editions' articles: jieba tokens, BM25 ranking.

Articles are tokenized once, at import (jieba reads ~150,000 characters a second: too slow to
redo for the whole library in a request). The index lives in each app process and is rebuilt
from those stored tokens when `library_version()` — a one-row query over the editions —
changes, so an import served by another gunicorn worker or app server is seen by the next
search everywhere, with nothing kept on disk.
"""

from __future__ import annotations

import heapq
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import jieba
from markupsafe import Markup, escape
from rank_bm25 import BM25Plus
from sqlalchemy import func, select

from training.database import db
from training.manuals.models import Manual, ManualEdition, ManualPart
from training.manuals.outline import articles_with_text

jieba.setLogLevel(logging.WARNING)  # it logs dictionary loading at DEBUG to stderr

SNIPPET_BEFORE = 30
SNIPPET_LENGTH = 120
_WORD = re.compile(r"\w")
_BULLET_LINE = re.compile(r"^- ", re.MULTILINE)


@dataclass(frozen=True)
class SearchEntry:
    """One searchable article."""

    slug: str
    manual_title: str
    anchor: str
    heading: str
    address: str
    text: str
    tokens: list[str]


@dataclass(frozen=True)
class SearchHit:
    entry: SearchEntry
    score: float
    heading: Markup
    snippet: Markup


def tokenize(text: str) -> list[str]:
    """Search-mode jieba words (投诉处理 → 投诉, 处理, 投诉处理), lower-cased, no punctuation."""
    return [token for token in jieba.cut_for_search(text.lower()) if _WORD.search(token)]


class SearchIndex:
    """BM25 over a fixed list of articles; only articles sharing a word with the query rank."""

    def __init__(self, entries: Iterable[SearchEntry]) -> None:
        self.entries = list(entries)
        corpus = [entry.tokens for entry in self.entries]
        self._postings: dict[str, list[int]] = {}
        for position, tokens in enumerate(corpus):
            for token in set(tokens):
                self._postings.setdefault(token, []).append(position)
        # BM25+ keeps every idf positive, so a word found in all articles of a small library
        # still ranks (Okapi's idf turns negative there).
        self._bm25 = BM25Plus(corpus) if self.entries else None
        jieba.initialize()  # load the dictionary now, not during the first query (~1 s)

    def search(self, query: str, limit: int = 20, slug: str | None = None) -> list[SearchHit]:
        """The best `limit` articles for `query` (in manual `slug` only, when given),
        highlighted; [] for a query with no words."""
        terms = list(dict.fromkeys(tokenize(query)))
        pattern = highlight_pattern(terms)
        return [
            SearchHit(
                entry=entry,
                score=score,
                heading=highlight(entry.heading, pattern),
                snippet=snippet(entry.text, pattern),
            )
            for entry, score in self.rank(terms, limit, slug)
        ]

    def rank(
        self, terms: Sequence[str], limit: int, slug: str | None = None
    ) -> list[tuple[SearchEntry, float]]:
        """The best `limit` articles sharing a word with `terms` (repeat a word to weigh it more).

        BM25+ credits every article a floor for each query word, found or not; it is taken
        off, so a score only counts words the article has and scores of two articles compare
        as a ratio (the question bank's link suggestions rely on that). With `slug`, only that
        manual's articles rank, scored against the whole library as they would be there.
        """
        candidates = sorted({i for term in set(terms) for i in self._postings.get(term, ())
                             if slug is None or self.entries[i].slug == slug})
        if not candidates or self._bm25 is None:
            return []
        scores = self._bm25.get_batch_scores(list(terms), candidates)
        floor = self._bm25.delta * sum(self._bm25.idf.get(term, 0.0) for term in terms)
        # Equal scores keep reading order: nlargest with a key is a stable sort.
        ranked = heapq.nlargest(limit, zip(scores, candidates, strict=True), key=itemgetter(0))
        return [(self.entries[i], score - floor) for score, i in ranked]


def highlight_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for all terms, longest first so 投诉处理 wins over 投诉."""
    ordered = sorted(set(terms), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) if ordered else None


def highlight(text: str, pattern: re.Pattern[str] | None) -> Markup:
    """`text` HTML-escaped, with every match wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces += [escape(text[position : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        position = match.end()
    pieces.append(escape(text[position:]))
    return Markup("".join(pieces))


def snippet(text: str, pattern: re.Pattern[str] | None) -> Markup:
    """A window of the text around the first match, highlighted, with … where it is cut;
    sub-bullets (lines starting "- ") read as "• " once the lines are joined."""
    flat = " ".join(_BULLET_LINE.sub("• ", text).split())
    match = pattern.search(flat) if pattern is not None else None
    start = max(0, match.start() - SNIPPET_BEFORE) if match else 0
    end = start + SNIPPET_LENGTH
    window = highlight(flat[start:end], pattern)
    return Markup("{}{}{}").format("…" if start else "", window, "…" if end < len(flat) else "")


# --- the per-process index over the database ---------------------------------------------

_lock = threading.Lock()
_indexes: dict[str, tuple[Any, SearchIndex]] = {}


def library_version() -> tuple[Any, ...]:
    """Changes whenever an edition is imported or a manual renamed, in any process."""
    renamed = select(func.max(Manual.updated_at)).scalar_subquery()
    return tuple(
        db.session.execute(
            select(
                func.count(ManualEdition.id),
                func.max(ManualEdition.id),
                func.max(ManualEdition.imported_at),
                renamed,
            )
        ).one()
    )


def current_entries() -> list[SearchEntry]:
    """The articles of every current edition, read in one query."""
    rows = db.session.execute(
        select(
            Manual.slug,
            Manual.title.label("manual_title"),
            ManualPart.depth,
            ManualPart.is_article,
            ManualPart.label,
            ManualPart.title,
            ManualPart.text,
            ManualPart.anchor,
            ManualPart.address,
            ManualPart.search_tokens,
        )
        .join(ManualPart.edition)
        .join(ManualEdition.manual)
        .where(ManualEdition.is_current.is_(True))
        .order_by(Manual.title, ManualPart.ordinal)
    ).all()
    return [
        SearchEntry(
            slug=row.slug,
            manual_title=row.manual_title,
            anchor=row.anchor,
            heading=" ".join(filter(None, (row.label, row.title))),
            address=row.address,
            text=text,
            tokens=row.search_tokens.split(),
        )
        for row, text in articles_with_text(rows)
    ]


def library_index() -> SearchIndex:
    """This process's index of the library, rebuilt when the library version has moved."""
    database = db.engine.url.render_as_string(hide_password=True)
    version = library_version()
    cached = _indexes.get(database)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:  # one thread rebuilds; the others wait and reuse its index
        cached = _indexes.get(database)
        if cached is None or cached[0] != version:
            cached = (version, SearchIndex(current_entries()))
            _indexes[database] = cached
    return cached[1]


def search_library(query: str, limit: int = 20, slug: str | None = None) -> list[SearchHit]:
    return library_index().search(query, limit, slug)
