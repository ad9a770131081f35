"""Who may use which route: every endpoint declares it, and undeclared ones are refused.

A view (or a whole blueprint) is marked `public`, `authenticated` (any signed-in user) or
`roles_required(...)`. One `before_request` hook enforces the declaration, so a forgotten
decorator fails closed (403) instead of leaking a page, and the route-walk test can list every
endpoint with its declared access.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

ROLES: tuple[str, ...] = ("employee", "trainer", "hr", "admin")

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True)
class Access:
    """The declared audience of a route: nobody signed in, anyone signed in, or some roles."""

    public: bool = False
    roles: frozenset[str] = frozenset()

    def allows(self, user_roles: frozenset[str]) -> bool:
        """Admins pass every role check; others need one of the declared roles."""
        if self.public or not self.roles:
            return True
        return "admin" in user_roles or bool(self.roles & user_roles)


PUBLIC = Access(public=True)
AUTHENTICATED = Access()

_blueprint_access: dict[str, Access] = {}


def _mark(view: F, access: Access) -> F:
    view.access = access  # type: ignore[attr-defined]
    return view


def public(view: F) -> F:
    """Open to anonymous visitors (login page, language switch, health check)."""
    return _mark(view, PUBLIC)


def authenticated(view: F) -> F:
    """Open to every signed-in user whatever their roles."""
    return _mark(view, AUTHENTICATED)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Open to signed-in users holding at least one of `roles` (admins always pass)."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    access = Access(roles=frozenset(roles))
    return lambda view: _mark(view, access)


def blueprint_access(blueprint: Blueprint, *roles: str) -> None:
    """Declare the default audience of every view in a blueprint (views may override)."""
    roles_required(*roles)  # validates the names
    _blueprint_access[blueprint.name] = Access(roles=frozenset(roles))


def access_for(endpoint: str | None) -> Access | None:
    """The declared access of an endpoint, or None when nothing was declared."""
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    declared = getattr(view, "access", None)
    if declared is not None:
        return declared
    blueprint = endpoint.rpartition(".")[0]
    return _blueprint_access.get(blueprint)


def enforce_access() -> object | None:
    """Refuse the request unless the endpoint's declared access admits the current user."""
    if request.endpoint is None:  # 404 and 405 are handled by routing
        return None
    access = access_for(request.endpoint)
    if access is None:
        current_app.logger.error("route %s declares no access; refused", request.endpoint)
        abort(403)
    if access.public:
        return None
    if not current_user.is_authenticated:
        if request.blueprint == "api" or request.path.startswith("/api/"):
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path))
    if not access.allows(current_user.role_names):
        abort(403)
    return None
