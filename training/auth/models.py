"""Sign-ins kept on the server, so signing out ends one device's session for good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from training.database import db, utcnow


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
