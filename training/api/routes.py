"""API views: parse JSON, call one service, answer with an allow-listed body (the request
commits at its end, training/unit_of_work.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, g, jsonify, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import inspect

from training.access import authenticated, public
from training.api import bp
from training.api.auth import password_change_required
from training.api.errors import api_error
from training.api.tokens import issue_token, revoke_token
from training.auth.models import ApiToken
from training.auth.services import authenticate, login_failure_limit
from training.auth.sessions import sign_in, sign_out
from training.database import db, utcnow
from training.exams import sitting
from training.exams.attempts import attempt_for, record_event, review_visibility
from training.exams.availability import exam_statuses
from training.exams.errors import InvalidResponse, deadline_passed
from training.exams.grading import answers_of
from training.exams.models import FinishReason
from training.exams.serialise import (
    attempt_for_examinee,
    exam_for_examinee,
    fresh_start_json,
    iso,
    started_for_examinee,
    submitted_for_examinee,
)
from training.exams.shown import shown_questions
from training.exams.withheld import withheld_in_review
from training.extensions import limiter
from training.people.models import User

OPENAPI = Path(__file__).with_name("openapi.json")


def json_body() -> dict[str, Any]:
    """The request's JSON object; anything else is a 422."""
    body = request.get_json(silent=True)
    if body is None and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise InvalidResponse("invalid_json", _("请求体必须是 JSON 对象。"))
    return body


def whole_number(value: Any) -> Any:
    """JSON has one number type: 2.0 is the integer 2 (OpenAPI's `integer` includes it)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "employee_no": user.employee_no,
        "department": user.department.path if user.department else None,
        "roles": sorted(user.role_names),
    }


def login_failed(response) -> bool:  # noqa: ANN001 - a Flask response
    """Wrong credentials count against the sign-in limit; a malformed request does not."""
    return response.status_code == 401


@bp.route("/login", methods=["POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_PER_ADDRESS"])
@login_failure_limit(login_failed)
def login():
    if not request.is_json:
        return api_error(415, "unsupported_media_type", _("请以 JSON 格式发送请求。"))
    body = json_body()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return api_error(422, "invalid_json", _("请提供 username 和 password。"))
    user = authenticate(username, password)
    if user is None:
        return api_error(401, "invalid_credentials", _("登录名或密码错误，或账号已停用。"))
    if user.must_change_password:
        return password_change_required()
    with db.session.no_autoflush:  # read before writing: SQLite's write lock waits for the commit
        body = {"user": user_json(user)}
    raw, token = issue_token(user)
    sign_in(user, api_token=token)
    body.update(token=raw, expires_at=iso(token.expires_at))
    session["api_token_id"] = inspect(token).identity[0]  # known without reading the row again
    return jsonify(body)


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    """Revoke the token used (or the one this browser session was given) and sign out."""
    token = g.get("api_token")
    if token is None and session.get("api_token_id"):
        token = db.session.get(ApiToken, session["api_token_id"])
    if token is not None:
        revoke_token(token, current_user)
    if g.get("api_token") is None:
        sign_out()
    return jsonify(logged_out=True)


@bp.route("/csrf-token")
@authenticated
def csrf_token():
    """A fresh CSRF token for a long-open page (tokens expire; an exam can outlast one)."""
    return jsonify(csrf_token=generate_csrf())


@bp.route("/openapi.json")
@public
def openapi():
    return current_app.response_class(OPENAPI.read_text("utf-8"), mimetype="application/json")


@bp.route("/exams")
@authenticated
def exams():
    now = utcnow()
    statuses = exam_statuses(current_user, now)
    return jsonify(exams=[exam_for_examinee(s, now) for s in statuses], server_time=iso(now))


@bp.route("/exams/<int:exam_id>/attempts", methods=["POST"])
@authenticated
def start_attempt(exam_id: int):
    body = json_body()
    password = body.get("password")
    now = utcnow()
    started = sitting.start(
        current_user, exam_id,
        password=password if isinstance(password, str) else None,
        address=request.remote_addr, now=now,
    )
    if started.questions_json is not None:  # fresh from `exam prepare`: nothing to read back
        return current_app.response_class(
            fresh_start_json(started.attempt, started.questions_json, now),
            mimetype="application/json")
    return jsonify(started_for_examinee(started.attempt, answers_of(started.attempt), now))


@bp.route("/attempts/<int:attempt_id>")
@authenticated
def attempt(attempt_id: int):
    now = utcnow()
    found = attempt_for(current_user, attempt_id, now)
    seen = review_visibility(found, now)
    questions = shown_questions(found.id)
    withheld = withheld_in_review(found, [q.question_id for q in questions], seen, now)
    body = attempt_for_examinee(found, questions, answers_of(found), now, seen, withheld)
    return jsonify(body)


@bp.route("/attempts/<int:attempt_id>/answers/<int:question_id>", methods=["PUT"])
@limiter.exempt  # no limit applies, and evaluating none costs a tenth of a save
@authenticated
def save(attempt_id: int, question_id: int):
    body = json_body()
    if "response" not in body or "seq" not in body:
        raise InvalidResponse("invalid_json", _("请求体需要 response 和 seq 两个字段。"))
    seq = sitting.save(
        current_user, attempt_id, question_id, body["response"], whole_number(body["seq"]),
        address=request.remote_addr,
    )
    return jsonify(saved=True, seq=seq)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@authenticated
def submit_attempt(attempt_id: int):
    now = utcnow()
    found = sitting.hand_in(current_user, attempt_id, address=request.remote_addr, now=now)
    if found.finish_reason == FinishReason.AUTO_CLOSED:
        error = deadline_passed()
        return api_error(error.status, error.code, error.message)
    return jsonify(submitted_for_examinee(found, now, review_visibility(found, now)))


@bp.route("/attempts/<int:attempt_id>/events", methods=["POST"])
@authenticated
def event(attempt_id: int):
    body = json_body()
    found = attempt_for(current_user, attempt_id)
    record_event(found, str(body.get("kind", "")), body.get("client_time"))
    return jsonify(recorded=True), 201
