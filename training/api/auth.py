"""Who is calling the API, whether the request needs a CSRF token, and JSON errors."""

from __future__ import annotations

from flask import Request, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from training.api import bp
from training.api.errors import api_error, http_error_response
from training.api.tokens import find_token
from training.errors import Conflict, DomainError, NotFound
from training.exams.errors import ExamRefused
from training.extensions import csrf, login_manager
from training.people.models import User
from training.unit_of_work import keep

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Requests that need no CSRF token although they carry a cookie: login takes JSON only, and a
# browser cannot send a cross-site JSON body without a CORS preflight this app never grants.
CSRF_FREE_ENDPOINTS = frozenset({"api.login"})
# What a user who must still change the initial password may call.
PASSWORD_CHANGE_EXEMPT = frozenset({"api.login", "api.logout", "api.openapi"})
# The autosave, exam day's most frequent call, reads only who the caller is (id, roles, account
# state) and changes neither user nor token: it takes the cached token as it is
# (`find_token(attach=False)`); so do the benchmark's ceiling endpoints, to stay yardsticks.
READ_ONLY_CALLER_ENDPOINTS = frozenset({"api.save", "api.bench_ceiling", "api.bench_reply_ceiling"})

@login_manager.request_loader
def load_user_from_token(req: Request) -> User | None:
    """`Authorization: Bearer <token>` signs an API request in without a cookie."""
    if not req.path.startswith(bp.url_prefix + "/"):
        return None
    scheme, _sep, raw = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    token = find_token(raw.strip(), attach=req.endpoint not in READ_ONLY_CALLER_ENDPOINTS)
    if token is None:
        return None
    g.api_token = token
    return token.user


def password_change_required():
    """The account still has its initial (or reset) password: the API is closed until changed."""
    return api_error(
        403, "password_change_required", _("请先在网页上修改初始密码，然后再使用接口。")
    )


@bp.before_request
def refuse_until_password_changed():
    """What the web's redirect to /password does for pages, for every API call but sign-out."""
    if (
        request.endpoint not in PASSWORD_CHANGE_EXEMPT
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        return password_change_required()
    return None


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
    keep(error.keep)  # the request rolls back (an error status), but keeps the refusal's audit
    return api_error(error.status, error.code, error.message)


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
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
