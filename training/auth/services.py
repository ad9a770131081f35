"""Checking credentials and recording sign-ins."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address

from training.audit.services import record
from training.database import utcnow
from training.extensions import limiter
from training.passwords import hash_password, verify_password
from training.people.models import User
from training.people.services import find_user
from training.unit_of_work import keep

# Checked against when the user does not exist, so both paths cost one Argon2 run and
# response timing does not reveal which login names exist.
_DUMMY_HASH = hash_password("servicecoach-timing-equaliser")


def authenticate(username: str, password: str) -> User | None:
    """Return the active user whose credentials match, else None (same answer for all causes)."""
    user = find_user(username.strip())
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    # Audited whatever becomes of the request (a refused one, e.g. 401 or the API's "change
    # your password first", rolls back): `keep` writes it at the request's end.
    address = request.remote_addr
    if not user.check_password(password) or not user.active:
        keep(lambda: record(user, "auth.login_failed", user, address=address))
        return None
    keep(lambda: _signed_in(user, address))
    return user


def _signed_in(user: User, address: str | None) -> None:
    user.last_login_at = utcnow()
    record(user, "auth.login", user, address=address)


def submitted_login_name() -> str:
    """The login name a sign-in post names (web form or API JSON object), normalised."""
    if request.is_json:
        body = request.get_json(silent=True)
        name = body.get("username") if isinstance(body, dict) else None
    else:
        name = request.form.get("username")
    return name.strip().lower() if isinstance(name, str) else ""


def login_limit_key() -> str:
    """Failures count per login name *and* client address, web and API in one counter.

    Per name alone, anyone anywhere could lock any colleague out; per address alone, one
    guesser would lock out a whole call center behind its NAT address. Per pair, a guesser
    locks only their own address out of that one name.
    """
    return f"login:{get_remote_address()}:{submitted_login_name()}"


def login_failure_limit(
    counts_as_failure: Callable[[Response], bool],
    on_breach: Callable[[RequestLimit], Response | None] | None = None,
) -> Callable:
    """The LOGIN_FAILURES_PER_USER limit, one counter shared by every sign-in route."""
    return limiter.shared_limit(
        lambda: current_app.config["LOGIN_FAILURES_PER_USER"],
        scope="login-failures",
        key_func=login_limit_key,
        methods=["POST"],
        deduct_when=counts_as_failure,
        on_breach=on_breach,
    )


def form_login_failed(response: Response) -> bool:
    """A web sign-in that did not redirect onwards failed and counts against the limit."""
    return response.status_code not in (301, 302, 303)
