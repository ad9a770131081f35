"""Credentials kept on the server: sign-ins (so signing out ends one device's session for good)
and API tokens for scripts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.database import db, utcnow

if TYPE_CHECKING:  # people sign in: auth builds on them, annotations only
    from training.people.models import User


class LoginSession(db.Model):
    """One sign-in (web form or API login); the cookie carries a key whose hash is stored here.

    A signed cookie alone stays valid until it expires, whatever the server thinks; with this row
    the server ends it: `ended_at` is set at sign-out, and at revocation of the API token the
    same `/api/v1/login` issued (`api_token_id`).
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    api_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class ApiToken(db.Model):
    """A bearer token for scripts; only its SHA-256 is stored, so a database leak reveals none."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_version: Mapped[int]  # a password change (new version) invalidates the token
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    def valid_at(self, now: datetime) -> bool:
        return (
            self.revoked_at is None
            and now < self.expires_at
            and self.user.active
            and self.user.session_version == self.session_version
        )
