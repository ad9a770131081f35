"""Practice answers, the wrong-answer book (错题本) with its FSRS card, and favourites (收藏)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.bank.models import Question, QuestionVersion
from training.database import db, utcnow

MODES = ("sequential", "random", "knowledge", "review")
SOURCES = ("practice", "exam")


class PracticeAnswer(db.Model):
    """One answer given while practising, scored at once against the version shown."""

    __tablename__ = "practice_answer"
    __table_args__ = (Index("ix_practice_answer_user_question", "user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    mode: Mapped[str] = mapped_column(String(16))
    # The original labels in the order shown when random practice shuffled them; else None
    option_order: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)

    question: Mapped[Question] = relationship()
    version: Mapped[QuestionVersion] = relationship()


class WrongBookEntry(db.Model):
    """A question the user got wrong, rescheduled by FSRS until it leaves the book.

    `card` is the `fsrs.Card` as its dict; `due` mirrors the card's due time (naive UTC) so
    "due now" is one indexed query. A removed entry keeps its row (one per user and question)
    and comes back to life when the question is answered wrong again.
    """

    __tablename__ = "wrong_book_entry"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_wrong_book_entry_user_due", "user_id", "removed_at", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    card: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due: Mapped[datetime]
    right_reviews: Mapped[int] = mapped_column(default=0)  # right answers on due reviews in a row
    source: Mapped[str] = mapped_column(String(16), default="practice")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship()

    @property
    def active(self) -> bool:
        return self.removed_at is None


class Favourite(db.Model):
    """A question the user starred (收藏); at most one row per user and question."""

    __tablename__ = "favourite"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[Question] = relationship()
