"""Read-only queries of the bank: filtered lists, counts and menus, each one round trip."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from question_bank.types import type_names
from training.bank.models import (
    Category,
    Question,
    QuestionBank,
    QuestionKnowledgePoint,
    QuestionStatus,
    QuestionTag,
    QuestionVersion,
)
from training.bank.services import CATEGORY_SEPARATOR, normalise_text
from training.database import db


@dataclass
class QuestionFilter:
    """What the question list can be narrowed by."""

    query: str = ""
    type: str | None = None
    category_id: int | None = None
    knowledge_point: str | None = None
    tag: str | None = None
    difficulty: int | None = None
    status: str | None = None
    needs_key: bool = False
    imported: tuple[int, int] | None = None  # first and last id of one import, to show it


def question_query(bank: QuestionBank, criteria: QuestionFilter) -> Select[tuple[Question]]:
    """Questions of a bank matching the search words (all of them) and the filters."""
    stmt = select(Question).where(Question.bank_id == bank.id, Question.status != QuestionStatus.ARCHIVED)
    for word in criteria.query.split():
        stmt = stmt.where(Question.search_text.contains(normalise_text(word), autoescape=True))
    if criteria.type:
        stmt = stmt.where(Question.type == criteria.type)
    if criteria.category_id:
        category = db.session.get(Category, criteria.category_id)
        if category is not None:
            stmt = stmt.join(Category, Question.category_id == Category.id).where(
                or_(Category.id == category.id,
                    Category.path.startswith(category.path + CATEGORY_SEPARATOR, autoescape=True))
            )
    if criteria.knowledge_point:
        stmt = stmt.where(Question.knowledge_points.any(name=criteria.knowledge_point))
    if criteria.tag:
        stmt = stmt.where(Question.tags.any(name=criteria.tag))
    if criteria.difficulty:
        stmt = stmt.where(Question.difficulty == criteria.difficulty)
    if criteria.status:
        stmt = stmt.where(Question.status == criteria.status)
    if criteria.needs_key:
        stmt = stmt.where(Question.needs_key.is_(True))
    if criteria.imported:
        stmt = stmt.where(Question.id.between(*criteria.imported))
    return stmt.order_by(Question.id).options(
        selectinload(Question.current_version), selectinload(Question.category)
    )


@dataclass
class BankSummary:
    bank: QuestionBank
    total: int
    ready: int
    needs_key: int


def bank_summaries() -> list[BankSummary]:
    """Every bank with its question counts, in one grouped query."""
    counts = {
        bank_id: (total, ready, needs_key)
        for bank_id, total, ready, needs_key in db.session.execute(
            select(
                Question.bank_id,
                func.count(Question.id),
                func.count(Question.id).filter(Question.status == QuestionStatus.READY),
                func.count(Question.id).filter(Question.needs_key.is_(True)),
            ).where(Question.status != QuestionStatus.ARCHIVED).group_by(Question.bank_id)
        )
    }
    banks = db.session.scalars(select(QuestionBank).order_by(QuestionBank.name))
    return [BankSummary(b, *counts.get(b.id, (0, 0, 0))) for b in banks]


def categories_of(bank: QuestionBank) -> list[Category]:
    return list(db.session.scalars(
        select(Category).where(Category.bank_id == bank.id).order_by(Category.path)
    ))


def distinct_labels(bank: QuestionBank) -> tuple[list[str], list[str]]:
    """The tags and knowledge points used in a bank, for filter menus."""
    in_bank = select(Question.id).where(Question.bank_id == bank.id)
    tags = db.session.scalars(
        select(QuestionTag.name).where(QuestionTag.question_id.in_(in_bank)).distinct()
        .order_by(QuestionTag.name)
    )
    points = db.session.scalars(
        select(QuestionKnowledgePoint.name).where(QuestionKnowledgePoint.question_id.in_(in_bank))
        .distinct().order_by(QuestionKnowledgePoint.name)
    )
    return list(tags), list(points)


def next_draft(bank: QuestionBank, after_id: int = 0) -> Question | None:
    """The next question needing a key, for keying mode (one per screen)."""
    return db.session.scalar(
        select(Question).where(
            Question.bank_id == bank.id, Question.needs_key.is_(True),
            Question.status != QuestionStatus.ARCHIVED, Question.id > after_id,
            Question.type.in_(type_names(keyable=True)),
        ).order_by(Question.id).limit(1)
    )


def count_drafts(bank: QuestionBank) -> int:
    return db.session.scalar(select(func.count(Question.id)).where(
        Question.bank_id == bank.id, Question.needs_key.is_(True), Question.status != QuestionStatus.ARCHIVED,
        Question.type.in_(type_names(keyable=True)),
    ))


def versions_of(question: Question) -> list[QuestionVersion]:
    return list(db.session.scalars(
        select(QuestionVersion).where(QuestionVersion.question_id == question.id)
        .order_by(QuestionVersion.number.desc())
    ))
