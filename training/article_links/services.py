"""Rules and writes for question ↔ article links. Services flush; the caller commits.

A link names its article by manual and stable anchor, never by a stored part, so it follows
the manual into every new edition; reading a link resolves it to the current edition's
article, or to the last edition that had it when a new edition dropped the article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from training.article_links.models import QuestionArticleLink
from training.audit.services import record
from training.bank.models import Question, QuestionBank, QuestionStatus
from training.bank.services import bank_questions
from training.database import db
from training.errors import DomainError, NotFound
from training.exams.models import Answer
from training.manuals.articles import Article, articles_by_key
from training.manuals.models import Manual, ManualEdition, ManualPart
from training.manuals.services import changed_anchors

# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedArticle:
    """One link of a question, resolved for display."""

    id: int
    question_id: int
    article: Article
    needs_review: bool
    changed_in_version: int | None


def links_for_questions(question_ids: Iterable[int]) -> dict[int, list[LinkedArticle]]:
    """Each question's links, articles in manual and reading order (two queries in all)."""
    ids = set(question_ids)
    if not ids:
        return {}
    links = list(
        db.session.scalars(
            select(QuestionArticleLink).where(QuestionArticleLink.question_id.in_(ids))
        )
    )
    articles = articles_by_key({(link.manual_id, link.anchor) for link in links})
    resolved: dict[int, list[LinkedArticle]] = defaultdict(list)
    for link in links:
        article = articles.get((link.manual_id, link.anchor))
        if article is not None:
            resolved[link.question_id].append(
                LinkedArticle(
                    link.id, link.question_id, article, link.needs_review, link.changed_in_version
                )
            )
    for linked in resolved.values():
        linked.sort(key=lambda item: (item.article.manual_title, item.article.ordinal))
    return dict(resolved)


def review_counts() -> dict[int, int]:
    """Per bank id, how many of its questions a new edition flagged (the trainer's home)."""
    return dict(db.session.execute(
        select(Question.bank_id, func.count(func.distinct(Question.id)))
        .join(QuestionArticleLink, QuestionArticleLink.question_id == Question.id)
        .where(Question.status != QuestionStatus.ARCHIVED,
               QuestionArticleLink.needs_review.is_(True))
        .group_by(Question.bank_id)
    ).all())


def review_flags(bank_id: int) -> set[int]:
    """Questions of a bank with a link whose article a new edition changed or removed."""
    return set(
        db.session.scalars(
            select(QuestionArticleLink.question_id)
            .join(Question, Question.id == QuestionArticleLink.question_id)
            .where(
                Question.bank_id == bank_id,
                Question.status != QuestionStatus.ARCHIVED,
                QuestionArticleLink.needs_review.is_(True),
            )
            .distinct()
        )
    )


def get_link(link_id: int) -> QuestionArticleLink:
    link = db.session.get(QuestionArticleLink, link_id)
    if link is None:
        raise NotFound(_("关联不存在"))
    return link


def current_articles(part_ids: Collection[int]) -> dict[int, ManualPart]:
    """Articles of current editions among `part_ids`, by id (a stale id is left out)."""
    if not part_ids:
        return {}
    parts = db.session.scalars(
        select(ManualPart)
        .join(ManualPart.edition)
        .options(contains_eager(ManualPart.edition))
        .where(
            ManualPart.id.in_(part_ids),
            ManualPart.is_article.is_(True),
            ManualEdition.is_current.is_(True),
        )
    )
    return {part.id: part for part in parts}


def current_article(part_id: int) -> ManualPart:
    """The article a form chose; an edition imported since the page was shown makes it stale."""
    part = current_articles({part_id}).get(part_id)
    if part is None:
        raise DomainError(_("所选条文已更新或不存在，请刷新页面后重新选择"))
    return part


# --- linking -----------------------------------------------------------------------------


def link_article(question: Question, part: ManualPart, *, actor: Any) -> bool:
    """Link a question to an article; linking again changes nothing and returns False."""
    created = _add_link(question.id, part, actor)
    if created:
        record(actor, "question.article_linked", question, article=part.address)
    return created


def unlink_article(question: Question, link_id: int, *, actor: Any) -> bool:
    """Remove one of the question's links; unlinking again changes nothing and returns False."""
    link = db.session.scalar(
        select(QuestionArticleLink).filter_by(id=link_id, question_id=question.id)
    )
    if link is None:
        return False
    record(actor, "question.article_unlinked", question, manual=link.manual_id, anchor=link.anchor)
    db.session.delete(link)
    db.session.flush()
    return True


def confirm_link(link: QuestionArticleLink, *, actor: Any) -> None:
    """The trainer checked the question still matches the changed article: clear the flag."""
    if not link.needs_review:
        return
    link.needs_review = False
    question = db.session.get(Question, link.question_id)
    record(actor, "question.article_link_confirmed", question, anchor=link.anchor)
    db.session.flush()


def bulk_link(bank: QuestionBank, choices: Mapping[int, int], *, actor: Any) -> int:
    """Link each question id to its chosen article id: all of them, or none on a stale choice.

    Returns how many links are new (questions already linked to their choice count none).
    """
    questions = {question.id: question for question in bank_questions(bank, list(choices))}
    parts = current_articles(set(choices.values()))
    stale = [
        qid for qid, part_id in choices.items() if qid not in questions or part_id not in parts
    ]
    if stale:
        raise DomainError(
            _(
                "有 %(n)d 道题的所选条文已更新或不存在，未关联任何题目；请刷新页面后重新选择",
                n=len(stale),
            )
        )
    created = sum(_add_link(qid, parts[part_id], actor) for qid, part_id in choices.items())
    record(actor, "question.articles_bulk_linked", bank, count=created)
    db.session.flush()
    return created


def _add_link(question_id: int, part: ManualPart, actor: Any) -> bool:
    """Insert the link unless it exists; the unique constraint settles a race."""
    key = {"question_id": question_id, "manual_id": part.edition.manual_id, "anchor": part.anchor}
    if db.session.scalar(select(QuestionArticleLink.id).filter_by(**key)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(QuestionArticleLink(**key, created_by_id=getattr(actor, "id", None)))
    except IntegrityError:
        return False
    return True


# --- new editions ------------------------------------------------------------------------


def flag_changed_articles(manual: Manual, old: ManualEdition, new: ManualEdition) -> int:
    """Flag links to articles `new` changed or removed, so a trainer re-checks the question.

    Runs inside the import (training.manuals.services.EDITION_REPLACED); links to unchanged
    articles stay as they were. Returns how many links were flagged.
    """
    anchors = changed_anchors(old, new)
    if not anchors:
        return 0
    result = db.session.execute(
        update(QuestionArticleLink)
        .where(QuestionArticleLink.manual_id == manual.id, QuestionArticleLink.anchor.in_(anchors))
        .values(needs_review=True, changed_in_version=new.version)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult


# --- reports -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleWeakness:
    """How the answers to one article's questions went."""

    article: Article
    questions: int  # linked questions that were answered
    answers: int  # graded answers to them
    wrong: int

    @property
    def share_wrong(self) -> float:
        return self.wrong / self.answers if self.answers else 0.0


def article_weakness(attempts: Select[Any]) -> list[ArticleWeakness]:
    """Per linked article, the share of wrong answers among graded answers in `attempts`.

    `attempts` selects attempt ids (an exam's, a department's, a period's), so any report can
    scope it. Answers still waiting for a grader are left out. Weakest articles first.
    The answers are counted per question first and the few question rows then summed per
    article: counting distinct questions over every answer row sorts them all (on
    PostgreSQL, half a million rows spilled to disk).
    """
    per_question = (
        select(Answer.question_id,
               func.count().label("answers"),
               func.count().filter(Answer.correct.is_(False)).label("wrong"))
        .where(Answer.attempt_id.in_(attempts), Answer.correct.is_not(None))
        .group_by(Answer.question_id)
        .subquery()
    )
    # (manual id, anchor, questions, answers, wrong): mypy cannot type sums over a subquery.
    rows = cast(list[tuple[int, str, int, int, int]], db.session.execute(
        select(
            QuestionArticleLink.manual_id,
            QuestionArticleLink.anchor,
            func.count(),  # one link per question and article (unique)
            func.sum(per_question.c.answers),
            func.sum(per_question.c.wrong),
        )
        .join(per_question, per_question.c.question_id == QuestionArticleLink.question_id)
        .group_by(QuestionArticleLink.manual_id, QuestionArticleLink.anchor)
    ).all())
    articles = articles_by_key({(manual_id, anchor) for manual_id, anchor, *_counts in rows})
    report = [
        ArticleWeakness(articles[manual_id, anchor], questions, int(answers), int(wrong))
        for manual_id, anchor, questions, answers, wrong in rows
        if (manual_id, anchor) in articles
    ]
    return sorted(report, key=lambda item: (-item.share_wrong, -item.answers, item.article.heading))


def article_headings(question_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each question's linked articles as 「manual」heading, for reports and their exports."""
    return {
        question_id: [f"《{link.article.manual_title}》{link.article.heading}" for link in linked]
        for question_id, linked in links_for_questions(question_ids).items()
    }
