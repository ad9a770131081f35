"""What the trainers' pages show: the editor's panel, the bulk table, the review queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.article_links.services import (
    LinkedArticle,
    links_for_questions,
    review_flags,
)
from training.article_links.suggest import (
    Suggestion,
    find_articles,
    preselected,
    suggest_articles,
    suggest_for_questions,
)
from training.bank.models import Question, QuestionBank
from training.bank.queries import QuestionFilter, question_query
from training.database import db
from training.manuals.articles import ArticleKey
from training.manuals.models import ManualPart

PANEL_SUGGESTIONS = 5
BULK_SUGGESTIONS = 3
BULK_LIMIT = 100  # questions per bulk page: suggesting is CPU work, a page must stay quick


@dataclass(frozen=True)
class Candidate:
    """A suggested article, marked when the question is linked to it already."""

    part: ManualPart
    score: float
    linked: bool


def _candidates(suggestions: list[Suggestion], links: list[LinkedArticle]) -> list[Candidate]:
    linked: set[ArticleKey] = {(item.article.manual_id, item.article.anchor) for item in links}
    return [
        Candidate(part, score, (part.edition.manual_id, part.anchor) in linked)
        for part, score in suggestions
    ]


@dataclass(frozen=True)
class EditorPanel:
    """The 关联条文 panel of the question editor."""

    links: list[LinkedArticle]
    candidates: list[Candidate]
    query: str  # what the trainer searched for; empty: the candidates are suggestions


def editor_panel(question: Question, query: str = "") -> EditorPanel:
    links = links_for_questions([question.id]).get(question.id, [])
    query = query.strip()
    found = (
        find_articles(query, PANEL_SUGGESTIONS)
        if query
        else suggest_articles(question, PANEL_SUGGESTIONS)
    )
    return EditorPanel(links, _candidates(found, links), query)


@dataclass(frozen=True)
class BulkRow:
    """A question of the bulk page, its links, its top suggestions and the one preselected."""

    question: Question
    links: list[LinkedArticle]
    candidates: list[Candidate]
    preselected_id: int | None


@dataclass(frozen=True)
class BulkPage:
    rows: list[BulkRow]
    truncated: bool  # the category has more questions than one page takes


def bulk_page(bank: QuestionBank, category_id: int | None) -> BulkPage:
    """The category subtree's questions (at most BULK_LIMIT) with their top-3 suggestions.

    The top suggestion is preselected only when it clearly wins and the question has no link
    yet, so one submit never quietly adds a second article to a linked question.
    """
    stmt = question_query(bank, QuestionFilter(category_id=category_id)).limit(BULK_LIMIT + 1)
    questions = list(db.session.scalars(stmt))
    shown = questions[:BULK_LIMIT]
    links = links_for_questions(question.id for question in shown)
    suggestions = suggest_for_questions(shown, BULK_SUGGESTIONS)
    rows = []
    for question in shown:
        own = links.get(question.id, [])
        found = suggestions.get(question.id, [])
        choice = None if own else preselected(found)
        rows.append(BulkRow(question, own, _candidates(found, own), choice.id if choice else None))
    return BulkPage(rows, len(questions) > BULK_LIMIT)


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    link: LinkedArticle


def review_queue(bank: QuestionBank) -> list[ReviewItem]:
    """Links of the bank's questions flagged by a new edition, question by question."""
    flagged = review_flags(bank.id)
    questions = db.session.scalars(
        select(Question)
        .where(Question.id.in_(flagged))
        .order_by(Question.id)
        .options(selectinload(Question.current_version))
    )
    links = links_for_questions(flagged)
    return [
        ReviewItem(question, link)
        for question in questions
        for link in links.get(question.id, [])
        if link.needs_review
    ]
