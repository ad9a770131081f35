"""Read-only practice queries: which question comes next, progress, the lists, each few trips.

Only ready, keyed, objective questions are practised; subjective ones (graded by a person)
appear in 背题 mode only. Every query leaves out the questions an exam still withholds from
the user (`training.exams.withheld`), in the same statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, distinct, false, func, or_, select
from sqlalchemy.orm import selectinload

from question_bank.types import get_type, type_names
from training.bank.models import (
    Category,
    Question,
    QuestionBank,
    QuestionKnowledgePoint,
    QuestionStatus,
)
from training.bank.services import CATEGORY_SEPARATOR
from training.database import db
from training.exams.withheld import not_withheld
from training.people.models import User
from training.practice.models import MODES, Favourite, PracticeAnswer, WrongBookEntry


@dataclass(frozen=True)
class Scope:
    """What the user chose to practise: a mode and a bank, a category or a knowledge point."""

    mode: str = "sequential"
    bank_id: int | None = None
    category_id: int | None = None
    point: str | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            object.__setattr__(self, "mode", "sequential")

    def args(self) -> dict[str, Any]:
        """The scope as URL arguments, so every page can hand it on."""
        values = {"mode": self.mode, "bank": self.bank_id, "category": self.category_id,
                  "point": self.point}
        return {key: value for key, value in values.items() if value not in (None, "")}


def keyed() -> ColumnElement[bool]:
    """Questions with a key anyone could be shown: ready and keyed."""
    return and_(
        Question.status == QuestionStatus.READY, Question.needs_key.is_(False),
        Question.current_version_id.is_not(None),
    )


def ready(user: User, now: datetime) -> ColumnElement[bool]:
    """Questions the user may see with their key: keyed, withheld by no exam of theirs."""
    return and_(keyed(), not_withheld(user, now))


def practisable(user: User, now: datetime) -> ColumnElement[bool]:
    """Questions the user can practise, scored at once: `ready` and objective."""
    return and_(ready(user, now), Question.type.in_(type_names(objective=True)))


def withheld_count(user: User, now: datetime, scope: Scope | None = None) -> int:
    """How many questions an exam of the user's holds back (to tell them why): practisable
    ones, or with a 背题 scope the scope's keyed ones.

    All such questions less those left to the user: the rule in its positive form
    (`not_withheld`), which the database runs as an anti-join, unlike its negation.
    """
    if scope is None:
        total = select(func.count(Question.id)).where(
            keyed(), Question.type.in_(type_names(objective=True))
        )
    else:
        total = _scoped(select(func.count(Question.id)).where(keyed()), scope)
    left = total.where(not_withheld(user, now))
    return db.session.scalar(select(total.scalar_subquery() - left.scalar_subquery())) or 0


def is_practisable(question: Question) -> bool:
    return (
        question.status == QuestionStatus.READY and not question.needs_key
        and question.current_version is not None and get_type(question.type).objective
    )


def in_subtree(category: Category | None) -> ColumnElement[bool]:
    """Questions filed in the category or any category below it (by the path prefix)."""
    if category is None:
        return false()
    below = select(Category.id).where(
        Category.bank_id == category.bank_id,
        or_(Category.id == category.id,
            Category.path.startswith(category.path + CATEGORY_SEPARATOR, autoescape=True)),
    )
    return Question.category_id.in_(below)


def _scoped(stmt: Select[Any], scope: Scope) -> Select[Any]:
    if scope.bank_id:
        stmt = stmt.where(Question.bank_id == scope.bank_id)
    if scope.category_id:
        stmt = stmt.where(in_subtree(db.session.get(Category, scope.category_id)))
    if scope.point:
        stmt = stmt.where(Question.knowledge_points.any(name=scope.point))
    return stmt


def _in_path_order(stmt: Select[Any]) -> Select[Any]:
    """Category path order (uncategorised last), then the order questions were added."""
    return stmt.outerjoin(Category, Question.category_id == Category.id).order_by(
        Question.bank_id, Category.path.is_(None), Category.path, Question.id
    )


def next_question_id(user: User, scope: Scope, after_id: int | None, now: datetime) -> int | None:
    """The question to show next in this scope, or None when the round is done."""
    if scope.mode == "review":
        return db.session.scalar(
            select(WrongBookEntry.question_id)
            .join(Question, WrongBookEntry.question_id == Question.id)
            .where(WrongBookEntry.user_id == user.id, WrongBookEntry.removed_at.is_(None),
                   WrongBookEntry.due <= now, practisable(user, now))
            .order_by(WrongBookEntry.due, WrongBookEntry.id).limit(1)
        )
    base = _scoped(select(Question.id).where(practisable(user, now)), scope)
    if scope.mode == "random":
        if after_id:
            base = base.where(Question.id != after_id)
        return db.session.scalar(base.order_by(func.random()).limit(1))
    ordered = list(db.session.scalars(_in_path_order(base)))
    if after_id in ordered:
        position = ordered.index(after_id) + 1
        return ordered[position] if position < len(ordered) else None
    done = set(db.session.scalars(
        select(PracticeAnswer.question_id).where(PracticeAnswer.user_id == user.id).distinct()
    ))
    return next((qid for qid in ordered if qid not in done), ordered[0] if ordered else None)


@dataclass
class Progress:
    """How much of one category (with the categories below it) a user has practised, and how well.

    `category_id` None is the bank's uncategorised questions; `depth` 0 is a top category.
    """

    bank_id: int
    bank_name: str
    category_id: int | None
    path: str | None
    total: int
    done: int
    answers: int
    right: int
    depth: int = 0

    @property
    def name(self) -> str | None:
        """The category's own name (the last part of its path)."""
        return self.path.rsplit(CATEGORY_SEPARATOR, 1)[-1] if self.path else None

    @property
    def percent_done(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0

    @property
    def accuracy(self) -> float | None:
        return round(100 * self.right / self.answers, 1) if self.answers else None


def progress(user: User, now: datetime) -> list[Progress]:
    """Per category, in tree order, counting the categories below it too — two queries.

    Each row: practisable questions, distinct ones answered, answers and right answers. A
    category without practisable questions in its subtree is left out.
    """
    own = _progress_per_category(user, now)
    categories = db.session.scalars(
        select(Category).where(Category.bank_id.in_({row.bank_id for row in own}))
    ).all() if own else []
    names = {row.bank_id: row.bank_name for row in own}
    tree = [_subtree_progress(c, names[c.bank_id], own) for c in categories]
    tree += [row for row in own if row.category_id is None]
    rows = [row for row in tree if row.total]
    return sorted(rows, key=lambda r: (r.bank_name, r.bank_id, r.path is None, _path_key(r.path)))


def _path_key(path: str | None) -> list[str]:
    """Sort key putting every category right after its parent ('A/B' before 'A-x')."""
    return (path or "").split(CATEGORY_SEPARATOR)


def _subtree_progress(category: Category, bank_name: str, own: list[Progress]) -> Progress:
    prefix = category.path + CATEGORY_SEPARATOR
    inside = [
        row for row in own
        if row.bank_id == category.bank_id and row.path is not None
        and (row.path == category.path or row.path.startswith(prefix))
    ]
    return Progress(
        category.bank_id, bank_name, category.id, category.path,
        *(sum(getattr(row, name) for row in inside) for name in ("total", "done", "answers", "right")),
        depth=category.path.count(CATEGORY_SEPARATOR),
    )


def _progress_per_category(user: User, now: datetime) -> list[Progress]:
    """Counts of the questions filed directly in each category (and uncategorised ones)."""
    rows = db.session.execute(
        select(
            Question.bank_id, QuestionBank.name, Question.category_id, Category.path,
            func.count(distinct(Question.id)),
            func.count(distinct(PracticeAnswer.question_id)),
            func.count(PracticeAnswer.id),
            func.count(PracticeAnswer.id).filter(PracticeAnswer.correct.is_(True)),
        )
        .join(QuestionBank, Question.bank_id == QuestionBank.id)
        .outerjoin(Category, Question.category_id == Category.id)
        .outerjoin(PracticeAnswer, and_(PracticeAnswer.question_id == Question.id,
                                        PracticeAnswer.user_id == user.id))
        .where(practisable(user, now))
        .group_by(Question.bank_id, QuestionBank.name, Question.category_id, Category.path)
    )
    return [Progress(*row) for row in rows]


def knowledge_points(user: User, now: datetime) -> list[tuple[str, int]]:
    """Knowledge points of the questions the user can practise, with how many each has."""
    return [(name, count) for name, count in db.session.execute(
        select(QuestionKnowledgePoint.name, func.count(QuestionKnowledgePoint.question_id))
        .join(Question, QuestionKnowledgePoint.question_id == Question.id)
        .where(practisable(user, now))
        .group_by(QuestionKnowledgePoint.name).order_by(QuestionKnowledgePoint.name)
    )]


def due_count(user: User, now: datetime) -> int:
    return db.session.scalar(
        select(func.count(WrongBookEntry.id))
        .join(Question, WrongBookEntry.question_id == Question.id)
        .where(WrongBookEntry.user_id == user.id, WrongBookEntry.removed_at.is_(None),
               WrongBookEntry.due <= now, practisable(user, now))
    ) or 0


def wrong_book(user: User, now: datetime) -> list[WrongBookEntry]:
    """The user's entries still in the book, soonest due first; withheld ones wait unseen."""
    return list(db.session.scalars(
        select(WrongBookEntry).join(WrongBookEntry.question)
        .where(WrongBookEntry.user_id == user.id, WrongBookEntry.removed_at.is_(None),
               not_withheld(user, now))
        .order_by(WrongBookEntry.due, WrongBookEntry.id)
        .options(selectinload(WrongBookEntry.question).selectinload(Question.current_version))
    ))


def wrong_book_entry(user_id: int, question_id: int) -> WrongBookEntry | None:
    return db.session.scalar(select(WrongBookEntry).where(
        WrongBookEntry.user_id == user_id, WrongBookEntry.question_id == question_id
    ))


def favourites(user: User, now: datetime) -> list[Favourite]:
    """The user's stars, newest first; withheld questions wait unseen."""
    return list(db.session.scalars(
        select(Favourite).join(Favourite.question)
        .where(Favourite.user_id == user.id, not_withheld(user, now))
        .order_by(Favourite.created_at.desc(), Favourite.id.desc())
        .options(selectinload(Favourite.question).selectinload(Question.current_version))
    ))


def is_favourite(user_id: int, question_id: int) -> bool:
    return db.session.scalar(select(Favourite.id).where(
        Favourite.user_id == user_id, Favourite.question_id == question_id
    )) is not None


def memorise_query(user: User, scope: Scope, now: datetime) -> Select[tuple[Question]]:
    """背题: the scope's questions the user may see with their key (subjective ones too)."""
    stmt = _scoped(select(Question).where(ready(user, now)), scope)
    return _in_path_order(stmt).options(
        selectinload(Question.current_version), selectinload(Question.category)
    )


def banks(user: User, now: datetime) -> list[QuestionBank]:
    """Banks holding a question the user may see with its key, for the 背题 menu."""
    return list(db.session.scalars(
        select(QuestionBank).where(
            QuestionBank.id.in_(select(Question.bank_id).where(ready(user, now)))
        )
        .order_by(QuestionBank.name)
    ))
