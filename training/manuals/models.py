"""The manual library: regulations, their editions, the parts of each edition, read receipts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.database import db, utcnow
from training.people.models import User


class Manual(db.Model):
    """One regulation (e.g. 客户服务管理制度); its content lives in editions."""

    __tablename__ = "manual"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Manual {self.slug}>"


class ManualEdition(db.Model):
    """One imported version of a manual; older editions stay readable and diffable."""

    __tablename__ = "manual_edition"
    __table_args__ = (
        UniqueConstraint("manual_id", "version"),
        # At most one current edition per manual, whatever two importers do at once.
        Index(
            "uq_manual_edition_current",
            "manual_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    manual_id: Mapped[int] = mapped_column(ForeignKey("manual.id", ondelete="CASCADE"))
    version: Mapped[int]
    is_current: Mapped[bool] = mapped_column(default=True)
    requires_confirmation: Mapped[bool] = mapped_column(default=False)
    preamble: Mapped[str] = mapped_column(Text, default="")
    source_filename: Mapped[str] = mapped_column(String(255))
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    manual: Mapped[Manual] = relationship(lazy="joined", innerjoin=True)
    imported_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ManualEdition {self.manual_id} v{self.version}>"


class ManualPart(db.Model):
    """A chapter, article or item of one edition, stored flat in reading order.

    `anchor` names the part across editions (第八条 is "a8" in every edition that has it), so
    permalinks and question links survive re-imports. `is_article` marks the unit that search,
    diffs and article counts work on: a 第X条, or a top-level section in a regulation without 条.
    """

    __tablename__ = "manual_part"
    __table_args__ = (
        UniqueConstraint("edition_id", "anchor"),
        UniqueConstraint("edition_id", "ordinal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("manual_edition.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("manual_part.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int]
    depth: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(500))
    anchor: Mapped[str] = mapped_column(String(200))
    is_article: Mapped[bool] = mapped_column(default=False)
    # An article's jieba words (its own and its items' text), tokenized once at import so
    # rebuilding the search index in every app process is cheap.
    search_tokens: Mapped[str] = mapped_column(Text, default="")

    edition: Mapped[ManualEdition] = relationship()
    parent: Mapped[ManualPart | None] = relationship(remote_side=[id])

    @property
    def heading(self) -> str:
        """'第八条 服务规范' or just the label or title when one is missing."""
        return " ".join(filter(None, (self.label, self.title)))


class ReadConfirmation(db.Model):
    """A user's 已阅读确认 of one required edition; a new edition needs a new confirmation."""

    __tablename__ = "read_confirmation"
    __table_args__ = (UniqueConstraint("user_id", "edition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("manual_edition.id", ondelete="CASCADE"), index=True
    )
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
