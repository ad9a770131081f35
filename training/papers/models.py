"""Papers (试卷): a fixed list of questions, or rules that draw questions for each attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.assembly import DIFFICULTY_RANGE, SectionRule
from training.bank.models import Question, QuestionBank
from training.database import db, utcnow

KINDS = ("fixed", "rules")


class Paper(db.Model):
    """A paper exams are built from; rule papers draw from one bank, fixed ones list questions."""

    __tablename__ = "paper"
    __table_args__ = (CheckConstraint("kind IN ('fixed', 'rules')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10))
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("question_bank.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    bank: Mapped[QuestionBank | None] = relationship()
    sections: Mapped[list[PaperSection]] = relationship(
        back_populates="paper", cascade="all, delete-orphan", order_by="PaperSection.ordinal"
    )

    @property
    def is_fixed(self) -> bool:
        return self.kind == "fixed"


class PaperSection(db.Model):
    """A part of a paper (一、单选题…); for rule papers also what it draws and what each is worth."""

    __tablename__ = "paper_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("paper.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[str | None] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(default=0)
    points_each: Mapped[float] = mapped_column(default=1.0)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    knowledge_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    difficulty_min: Mapped[int] = mapped_column(default=DIFFICULTY_RANGE[0])
    difficulty_max: Mapped[int] = mapped_column(default=DIFFICULTY_RANGE[1])

    paper: Mapped[Paper] = relationship(back_populates="sections")
    items: Mapped[list[PaperItem]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="PaperItem.ordinal"
    )

    def to_rule(self) -> SectionRule:
        """The section as the pure assembler's rule."""
        return SectionRule(
            title=self.title,
            type=self.type or None,
            count=self.count,
            points_each=self.points_each,
            categories=list(self.categories or []),
            tags=list(self.tags or []),
            knowledge_points=list(self.knowledge_points or []),
            difficulty_min=self.difficulty_min,
            difficulty_max=self.difficulty_max,
        )


class PaperItem(db.Model):
    """A question placed in a fixed paper's section, with what it is worth in this paper."""

    __tablename__ = "paper_item"
    __table_args__ = (UniqueConstraint("paper_section_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_section_id: Mapped[int] = mapped_column(
        ForeignKey("paper_section.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    points: Mapped[float] = mapped_column(default=1.0)

    section: Mapped[PaperSection] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()
