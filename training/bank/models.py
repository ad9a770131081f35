"""Question banks, their category trees, and questions with immutable-once-used versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.model import Option, ScoringPoint, Source
from question_bank.model import Question as PlainQuestion
from question_bank.types import all_types
from training.database import db, one_of, utcnow

# The registered question types (question_bank/types.py); a new type needs a migration widening
# the CHECKs below.
TYPE_NAMES = tuple(question_type.name for question_type in all_types())



class QuestionStatus(StrEnum):
    """Where a question stands: drafts wait for a key or a check, only ready ones are drawn."""

    DRAFT = "draft"
    READY = "ready"
    ARCHIVED = "archived"  # deleted from the bank's lists; attempts still refer to it



class QuestionBank(db.Model):
    """A named collection of questions (题库) owned by the trainers."""

    __tablename__ = "question_bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Category(db.Model):
    """A node of a bank's category tree; `path` ('一、单选/客户分类') makes subtrees one LIKE."""

    __tablename__ = "question_category"
    __table_args__ = (UniqueConstraint("bank_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_bank.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("question_category.id"))
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(1000))

    parent: Mapped[Category | None] = relationship(remote_side=[id])


class Question(db.Model):
    """A question's identity; its content lives in versions, the newest being current.

    Filter columns (type, difficulty, needs_key, search_text) mirror the current version so
    lists and filters need no join.
    """

    __tablename__ = "question"
    __table_args__ = (
        Index("ix_question_bank_status", "bank_id", "status"),
        one_of("status", QuestionStatus),
        one_of("type", TYPE_NAMES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_bank.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("question_category.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=QuestionStatus.DRAFT)
    type: Mapped[str] = mapped_column(String(20), index=True)
    difficulty: Mapped[int] = mapped_column(default=3)
    needs_key: Mapped[bool] = mapped_column(default=False, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_version.id", use_alter=True, name="fk_question_current_version")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    bank: Mapped[QuestionBank] = relationship()
    category: Mapped[Category | None] = relationship()
    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    tags: Mapped[list[QuestionTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="QuestionTag.name"
    )
    knowledge_points: Mapped[list[QuestionKnowledgePoint]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="QuestionKnowledgePoint.name"
    )

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    @property
    def knowledge_point_names(self) -> list[str]:
        return [k.name for k in self.knowledge_points]


class QuestionVersion(db.Model):
    """One immutable state of a question once an attempt has used it (`locked`)."""

    __tablename__ = "question_version"
    __table_args__ = (UniqueConstraint("question_id", "number"), one_of("type", TYPE_NAMES))

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    number: Mapped[int]
    type: Mapped[str] = mapped_column(String(20))
    stem: Mapped[str] = mapped_column(Text)
    case_material: Mapped[str | None] = mapped_column(Text)
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    answer: Mapped[Any] = mapped_column(JSON, nullable=True)
    explanation: Mapped[str | None] = mapped_column(Text)
    points: Mapped[float] = mapped_column(default=1.0)
    difficulty: Mapped[int] = mapped_column(default=3)
    scoring_points: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source_file: Mapped[str | None] = mapped_column(String(255))
    source_line: Mapped[int | None]
    locked: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[Question] = relationship(foreign_keys=[question_id])

    def to_plain(self) -> PlainQuestion:
        """The version as the pure model, for scoring, export and preview."""
        return PlainQuestion(
            type=self.type,
            stem=self.stem,
            options=[Option(o["label"], o["text"]) for o in self.options or []],
            answer=self.answer,
            explanation=self.explanation,
            points=self.points,
            difficulty=self.difficulty,
            case_material=self.case_material,
            scoring_points=[
                ScoringPoint(p["phrase"], p["points"], list(p.get("synonyms", [])))
                for p in self.scoring_points or []
            ],
            source=Source(self.source_file, self.source_line),
        )


class QuestionTag(db.Model):
    __tablename__ = "question_tag"
    __table_args__ = (UniqueConstraint("question_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)


class QuestionKnowledgePoint(db.Model):
    """A 知识点 named on a question; later linked to the manual article that teaches it."""

    __tablename__ = "question_knowledge_point"
    __table_args__ = (UniqueConstraint("question_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
