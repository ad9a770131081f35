"""Starting, resolving and ending sign-in sessions (web cookie and remember-me cookie alike).

Flask-Login stores one id in the signed session cookie and in the remember-me cookie. Ours is
`user id:session version:key`: the version ends every session at a password change or
deactivation; the key names one `LoginSession` row, so signing out ends that device's session
only — a colleague's exam on another PC, or the same user's phone, keeps going. Only the key's
SHA-256 is stored. Every app server reads the same database, so the rule holds behind a load
balancer.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import session
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from training.auth.models import ApiToken, LoginSession
from training.database import db, utcnow
from training.people.models import User

_SESSION_ID = "_user_id"  # where Flask-Login keeps the id (the remember cookie copies it)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def sign_in(user: User, *, remember: bool = False, api_token: ApiToken | None = None) -> None:
    """Start a session for `user` in this browser, recorded so it can be ended server-side."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            key_hash=_digest(key),
            api_token_id=api_token.id if api_token is not None else None,
        )
    )
    login_user(user, remember=remember)
    session[_SESSION_ID] = f"{user.id}:{user.session_version}:{key}"


def user_of_session(session_id: str) -> User | None:
    """The user a cookie's id names, if its session is live and the version current."""
    user_id, version, key = (session_id.split(":") + ["", ""])[:3]
    if not (user_id.isdigit() and version.isdigit() and key):
        return None
    return db.session.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == int(user_id),
            User.session_version == int(version),
            LoginSession.key_hash == _digest(key),
            LoginSession.ended_at.is_(None),
        )
    )


def sign_out() -> None:
    """End this browser's session on the server, then forget its cookies."""
    key = str(session.get(_SESSION_ID, "")).rpartition(":")[2]
    if key:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.key_hash == _digest(key), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    logout_user()


def end_sessions_of_token(token: ApiToken) -> None:
    """A revoked API token takes the cookie session of the same API login with it."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.api_token_id == token.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
