"""Bearer tokens for scripts: issued at API login, expiring, revocable, stored only as a hash.

A token lives `API_TOKEN_HOURS` (default 12: one working day, an exam day included). It dies
early when revoked (`POST /api/v1/logout`, which also ends the cookie session of the same
login), when its user is deactivated, or when the user's
password changes (the token remembers the session version it was issued under).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from training.audit.services import record
from training.auth.models import ApiToken
from training.auth.sessions import end_sessions_of_token
from training.database import db, utcnow
from training.people.models import User

DEFAULT_TOKEN_HOURS = 12
TOKEN_PREFIX = "sc_"
# Writing last_used_at on every request would turn each autosave into two writes.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, now: datetime | None = None) -> tuple[str, ApiToken]:
    """A new token for the user; the raw value is returned once and never stored."""
    now = now or utcnow()
    hours = current_app.config.get("API_TOKEN_HOURS", DEFAULT_TOKEN_HOURS)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        token_hash=_digest(raw),
        session_version=user.session_version,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    db.session.add(token)
    record(user, "api.token_issued", token, expires_at=token.expires_at.isoformat())
    return raw, token


def find_token(raw: str, now: datetime | None = None) -> ApiToken | None:
    """The live token with this value, else None (unknown, expired, revoked, stale)."""
    now = now or utcnow()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = db.session.scalar(select(ApiToken).filter_by(token_hash=_digest(raw)))
    if token is None or not token.valid_at(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token


def revoke_token(token: ApiToken, actor: User, now: datetime | None = None) -> None:
    """End the token, and the cookie session the same API login started."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        end_sessions_of_token(token)
        record(actor, "api.token_revoked", token)
