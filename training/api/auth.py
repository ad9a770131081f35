"""Who is calling the API, whether the request needs a CSRF token, and JSON errors."""

from __future__ import annotations

from flask import Request, current_app, g, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from training.api import bp
from training.api.errors import api_error, http_error_response
from training.api.tokens import find_token
from training.database import db
from training.errors import Conflict, DomainError, NotFound
from training.exams.errors import ExamRefused
from training.extensions import csrf, login_manager
from training.people.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Requests that need no CSRF token although they carry a cookie: login takes JSON only, and a
# browser cannot send a cross-site JSON body without a CORS preflight this app never grants.
CSRF_FREE_ENDPOINTS = frozenset({"api.login"})

@login_manager.request_loader
def load_user_from_token(req: Request) -> User | None:
    """`Authorization: Bearer <token>` signs an API request in without a cookie."""
    if not req.path.startswith(bp.url_prefix + "/"):
        return None
    scheme, _sep, raw = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    token = find_token(raw.strip())
    if token is None:
        return None
    g.api_token = token
    return token.user


@bp.before_request
def protect_cookie_sessions() -> None:
    """Cookie-authenticated writes need the CSRF token (header X-CSRFToken); tokens do not."""
    if (
        request.method in SAFE_METHODS
        or not current_app.config.get("WTF_CSRF_ENABLED", True)
        or request.endpoint in CSRF_FREE_ENDPOINTS
        or g.get("api_token") is not None
    ):
        return
    csrf.protect()


@bp.errorhandler(ExamRefused)
def exam_refused(error: ExamRefused):
    db.session.rollback()
    return api_error(error.status, error.code, error.message)


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    db.session.rollback()
    if isinstance(error, NotFound):
        return api_error(404, "not_found", error.message)
    if isinstance(error, Conflict):
        return api_error(409, "conflict", error.message)
    return api_error(400, "invalid", error.message)


@bp.errorhandler(CSRFError)
def csrf_failed(_error: CSRFError):
    return api_error(400, "csrf_failed", _("缺少或无效的 CSRF 令牌：请刷新页面，或改用 Bearer 令牌。"))


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return http_error_response(error)
