"""Checking credentials and recording sign-ins."""

from __future__ import annotations

from flask import request

from training.audit.services import record
from training.database import utcnow
from training.passwords import hash_password, verify_password
from training.people.models import User
from training.people.services import find_user

# Checked against when the user does not exist, so both paths cost one Argon2 run and
# response timing does not reveal which login names exist.
_DUMMY_HASH = hash_password("servicecoach-timing-equaliser")


def authenticate(username: str, password: str) -> User | None:
    """Return the active user whose credentials match, else None (same answer for all causes)."""
    user = find_user(username.strip())
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        record(user, "auth.login_failed", user, address=request.remote_addr)
        return None
    user.last_login_at = utcnow()
    record(user, "auth.login", user, address=request.remote_addr)
    return user


def login_limit_key() -> str:
    """Failed sign-ins are counted per login name, so one NAT'd call center is not locked out."""
    return "login:" + (request.form.get("username") or "").strip().lower()


def counts_as_failure(response) -> bool:  # noqa: ANN001 - a Flask response
    """A sign-in that did not redirect onwards failed and counts against the limit."""
    return response.status_code not in (301, 302, 303)
