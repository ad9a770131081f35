"""Bearer tokens for scripts: issued at API login, expiring, revocable, stored only as a hash.

A token lives `API_TOKEN_HOURS` (default 12: one working day, an exam day included). It dies
early when revoked (`POST /api/v1/logout`, which also ends the cookie session of the same
login), when its user is deactivated, or when the user's
password changes (the token remembers the session version it was issued under).

Every API request carries its token, and on exam day most are autosaves, so each app process
keeps what it last read of a token (with its user) for `API_TOKEN_CACHE_SECONDS` (environment
variable, default 60) instead of reading it again per request. The price is a delay: a token
revoked, or a user deactivated or given a new password, in another process (or directly in the
database) keeps working in this one for at most that long. Logging out through the API takes
effect at once in the process that handled it. 0 switches the cache off.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import Lock

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from training.audit.services import record
from training.auth.models import ApiToken
from training.auth.sessions import end_sessions_of_token
from training.database import db, utcnow
from training.people.models import User

DEFAULT_TOKEN_HOURS = 12
TOKEN_PREFIX = "sc_"
# Writing last_used_at on every request would turn each autosave into two writes.
LAST_USED_RESOLUTION = timedelta(minutes=5)
DEFAULT_CACHE_SECONDS = 60
CACHE_SIZE = 10_000  # tokens per process: a large exam's examinees, each signed in once


@dataclass(frozen=True)
class _Cached:
    token: ApiToken  # detached, with its user (department, roles) loaded: merged, never changed
    read_at: datetime


class _TokenCache:
    """Tokens read lately by this process, by digest; an LRU bounded in size, guarded for threads."""

    def __init__(self) -> None:
        self._entries: LRUCache[str, _Cached] = LRUCache(CACHE_SIZE)
        self._lock = Lock()

    def get(self, digest: str, now: datetime, max_age: timedelta) -> ApiToken | None:
        with self._lock:
            cached = self._entries.get(digest)
        if cached is None or not timedelta(0) <= now - cached.read_at < max_age:
            return None
        return cached.token

    def put(self, digest: str, token: ApiToken, now: datetime) -> None:
        with self._lock:
            self._entries[digest] = _Cached(token, now)

    def forget(self, digest: str) -> None:
        with self._lock:
            self._entries.pop(digest, None)


def _cache() -> _TokenCache:
    """The app's own cache (one per app, so tests' apps share nothing)."""
    cache = current_app.extensions.get("api_token_cache")
    if cache is None:
        cache = current_app.extensions.setdefault("api_token_cache", _TokenCache())
    return cache


def _cache_age() -> timedelta:
    return timedelta(
        seconds=current_app.config.get("API_TOKEN_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)
    )


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


def find_token(raw: str, now: datetime | None = None, *, attach: bool = True) -> ApiToken | None:
    """The live token with this value, else None (unknown, expired, revoked, stale).

    Read from this process's cache when it is fresh enough (no SQL at all), else from the
    database; it is merged into the request's session without a query, unless `attach` is
    False and the cache had it: then the cached copy itself is returned, detached and shared
    with the process's other threads, for requests that only read the caller's id and roles
    (merging a token with its user and roles costs about a tenth of an autosave).
    """
    now = now or utcnow()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    digest, cache, max_age = _digest(raw), _cache(), _cache_age()
    cached = cache.get(digest, now, max_age)
    read = cached is None
    if read:
        cached = _read(digest)
        if cached is None:
            return None
        if max_age:
            cache.put(digest, cached, now)
    token = cached if not (read or attach) else db.session.merge(cached, load=False)
    if not token.valid_at(now):
        return None
    # Only on a fresh read: a cached copy keeps its old last_used_at and would write every time.
    if read and (token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION):
        _stamp_at_commit(token, now)
    return token


def _stamp_at_commit(token: ApiToken, now: datetime) -> None:
    """Set last_used_at as the request commits, not now: a change pending from the start would
    be flushed before the request's first query, and on SQLite that UPDATE would take the
    database's single write lock and hold it through every read the request makes (a Start
    held it for all of its checks, bench/start_profile.py)."""
    event.listen(db.session(), "before_commit",
                 lambda _session: setattr(token, "last_used_at", now), once=True)


def _read(digest: str) -> ApiToken | None:
    """The token row with its user, read apart from the request's session and detached from it,
    so the copy can be cached and merged into later requests' sessions."""
    with Session(db.engine, expire_on_commit=False) as session:
        return session.scalar(select(ApiToken).filter_by(token_hash=digest))


def revoke_token(token: ApiToken, actor: User, now: datetime | None = None) -> None:
    """End the token and the cookie session its API login started; this process forgets its
    cached copy at once (other processes within the cache's age)."""
    _cache().forget(token.token_hash)
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        end_sessions_of_token(token)
        record(actor, "api.token_revoked", token)
