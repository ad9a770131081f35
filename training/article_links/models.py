"""A question's link to a manual article, held by the article's stable anchor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.database import db, utcnow
from training.manuals.models import Manual


class QuestionArticleLink(db.Model):
    """Question → (manual, anchor): the link follows the manual into every new edition.

    `needs_review` is set when an edition changes or removes the article, so a trainer checks
    that the question (and its key) still matches the rule; `changed_in_version` says which.
    """

    __tablename__ = "question_article_link"
    __table_args__ = (UniqueConstraint("question_id", "manual_id", "anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    manual_id: Mapped[int] = mapped_column(ForeignKey("manual.id", ondelete="CASCADE"), index=True)
    anchor: Mapped[str] = mapped_column(String(200))
    needs_review: Mapped[bool] = mapped_column(default=False)
    changed_in_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    manual: Mapped[Manual] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<QuestionArticleLink q{self.question_id} → {self.manual_id}#{self.anchor}>"
