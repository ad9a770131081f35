"""Request-wide behaviour: access enforcement, forced password change, one commit, error pages."""

from __future__ import annotations

from flask import Flask, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as HTTPNotFound

from training.access import enforce_access
from training.api.errors import api_error, http_error_response, required_headers
from training.auth.sessions import user_of_session
from training.database import db
from training.errors import NotFound
from training.extensions import login_manager
from training.jobs import run_jobs_if_due
from training.people.models import User
from training.unit_of_work import finish_request

# Endpoints a user who must change the password can still reach.
_PASSWORD_CHANGE_EXEMPT = {"auth.change_password", "auth.logout", "auth.set_language", "static"}


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The cookie's user while its sign-in session lives (see training/auth/sessions.py)."""
    return user_of_session(session_id)


def require_password_change() -> Response | None:
    """Imported and reset accounts must choose their own password before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _PASSWORD_CHANGE_EXEMPT
        and not (request.endpoint or "").startswith("api.")
    ):
        return redirect(url_for("auth.change_password"))
    return None


def forbid_storing_private_responses(response: Response) -> Response:
    """A signed-in page or any API answer must not be kept by a browser or a shared cache.

    Exam pages, grades and attempts would otherwise come back from the cache (Back button, a
    shared PC after sign-out). Static files, and views that chose their own caching (max-age),
    keep it.
    """
    if request.endpoint == "static" or response.cache_control.max_age is not None:
        return response
    if wants_json() or current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    """Friendly pages in the user's language; JSON for the API."""
    code = error.code or 500
    if error.response is not None:  # a handler already built the page (e.g. login lock-out)
        return error.response, code
    if wants_json():
        return http_error_response(error)
    template = f"errors/{code}.html" if code in (403, 404, 413, 429) else "errors/generic.html"
    return render_template(template, error=error), code, required_headers(error)


def handle_missing_record(error: NotFound) -> ResponseReturnValue:
    """A service's NotFound (a record that does not exist or is not yours) is a 404 page."""
    db.session.rollback()
    return handle_http_error(HTTPNotFound(description=error.message))


def handle_unexpected_error(error: Exception) -> ResponseReturnValue:
    """Roll back whatever the request started and show the 500 page."""
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    from flask import current_app

    current_app.logger.exception("unhandled error on %s", request.path)
    if wants_json():
        return api_error(500, "internal_error", _("服务器内部错误"))
    return render_template("errors/500.html"), 500


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    app.before_request(run_jobs_if_due)
    app.before_request(enforce_access)
    app.before_request(require_password_change)
    app.after_request(forbid_storing_private_responses)
    app.after_request(finish_request)  # runs first: after_request functions run in reverse
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(NotFound, handle_missing_record)
    app.register_error_handler(Exception, handle_unexpected_error)
    from training import templating

    templating.init_app(app)
