"""Likely articles for a question: its words as a query to the manual library's BM25 index.

The library's own index and tokenizer rank (training.manuals.search); this module only builds
the query. The stem counts twice, since it names the topic while options and explanations
also discuss the distractors. Words that are common in any Chinese text (的, 是, 可以: frequent
in jieba's dictionary) are dropped: the library is small, so its BM25 would otherwise weigh
such a word highly just because few articles happen to use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import jieba
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from question_bank.types import get_type
from training.bank.models import Question, QuestionVersion
from training.database import db
from training.manuals.models import Manual, ManualEdition, ManualPart
from training.manuals.search import SearchEntry, library_index, tokenize

STEM_WEIGHT = 2
# A word making up more than ~1 in 1,100 words of jieba's dictionary corpus says nothing
# about a topic (的 是 和 能 可以); 进行, 公司, 客户 and rarer words stay.
COMMON_WORD_LOG_SHARE = 7.0
# The top suggestion is preselected in bulk linking only when it scores this many times the
# runner-up (scores count only shared words, so the ratio means something).
DOMINANCE = 2.0

Suggestion = tuple[ManualPart, float]


def suggest_articles(question: Question, limit: int = 5) -> list[Suggestion]:
    """The current articles most likely to teach `question`, best first, with their scores."""
    return suggest_for_questions([question], limit)[question.id]


def suggest_for_questions(
    questions: Iterable[Question], limit: int = 3
) -> dict[int, list[Suggestion]]:
    """Suggestions for many questions, with one query for all their articles (bulk linking)."""
    index = library_index()
    ranked = {
        question.id: index.rank(question_terms(question.current_version), limit)
        for question in questions
        if question.current_version is not None
    }
    parts = _current_parts(entry for hits in ranked.values() for entry, _score in hits)
    return {question_id: _resolved(hits, parts) for question_id, hits in ranked.items()}


def find_articles(query: str, limit: int = 5) -> list[Suggestion]:
    """Current articles matching words a trainer typed, for when the suggestions miss."""
    hits = library_index().rank(list(dict.fromkeys(tokenize(query))), limit)
    return _resolved(hits, _current_parts(entry for entry, _score in hits))


def preselected(suggestions: Sequence[Suggestion]) -> ManualPart | None:
    """The top suggestion when it clearly beats the runner-up, else None (the trainer picks)."""
    if not suggestions or suggestions[0][1] <= 0:
        return None
    if len(suggestions) == 1 or suggestions[0][1] >= DOMINANCE * suggestions[1][1]:
        return suggestions[0][0]
    return None


def question_terms(version: QuestionVersion) -> list[str]:
    """The query words of a question: the stem's (weighted), then those only the rest has."""
    stem = _topic_words(f"{version.case_material or ''}\n{version.stem}")
    options = " ".join(option["text"] for option in version.options or [])
    points = " ".join(point["phrase"] for point in version.scoring_points or [])
    key = "" if get_type(version.type).choice else " ".join(_strings(version.answer))
    rest = _topic_words("\n".join([options, key, points, version.explanation or ""]))
    return stem * STEM_WEIGHT + [word for word in rest if word not in stem]


def _topic_words(text: str) -> list[str]:
    jieba.initialize()  # get_FREQ reads the dictionary; loading it is a no-op after the first
    limit = jieba.dt.total * math.exp(-COMMON_WORD_LOG_SHARE)
    return [word for word in dict.fromkeys(tokenize(text)) if jieba.get_FREQ(word, 0) <= limit]


def _strings(value: Any) -> list[str]:
    """The text in a stored key: a reference answer, or the accepted words of each blank."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _resolved(
    hits: list[tuple[SearchEntry, float]], parts: dict[tuple[str, str], ManualPart]
) -> list[Suggestion]:
    """Hits as stored parts; one whose edition an import just replaced is left out."""
    return [
        (parts[entry.slug, entry.anchor], score)
        for entry, score in hits
        if (entry.slug, entry.anchor) in parts
    ]


def _current_parts(entries: Iterable[SearchEntry]) -> dict[tuple[str, str], ManualPart]:
    """The current editions' parts behind search entries, by (slug, anchor), in one query."""
    wanted = {(entry.slug, entry.anchor) for entry in entries}
    if not wanted:
        return {}
    parts = db.session.scalars(
        select(ManualPart)
        .join(ManualPart.edition)
        .join(ManualEdition.manual)
        .options(contains_eager(ManualPart.edition).contains_eager(ManualEdition.manual))
        .where(
            ManualEdition.is_current.is_(True),
            Manual.slug.in_({slug for slug, _anchor in wanted}),
            ManualPart.anchor.in_({anchor for _slug, anchor in wanted}),
        )
    )
    return {(part.edition.manual.slug, part.anchor): part for part in parts}
