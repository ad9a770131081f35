"""Every error code the JSON API answers with, in one place.

The handlers take their codes and statuses from here, and `openapi.json` lists exactly these
codes in its `Error` schema (a test compares the two), so a client can rely on the list.
"""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

# code: HTTP status. Codes raised by the exam rules (ExamRefused and its kin) and the role-play
# rules (RunRefused) are listed too.
ERROR_CODES: dict[str, int] = {
    "bad_request": 400,
    "csrf_failed": 400,
    "invalid": 400,
    "unauthorized": 401,
    "invalid_credentials": 401,
    "forbidden": 403,
    "wrong_password": 403,
    "network_not_allowed": 403,
    "password_change_required": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
    "not_open": 409,
    "closed": 409,
    "no_attempts_left": 409,
    "paper_unusable": 409,
    "empty_paper": 409,
    "deadline_passed": 409,
    "already_submitted": 409,
    "question_closed": 409,
    "lesson_locked": 409,
    "no_runs_left": 409,
    "run_ended": 409,
    "step_ahead": 409,
    "too_large": 413,
    "unsupported_media_type": 415,
    "invalid_json": 422,
    "invalid_response": 422,
    "invalid_seq": 422,
    "invalid_event": 422,
    "invalid_reply": 422,
    "too_many_requests": 429,
    "too_many_password_attempts": 429,
    "internal_error": 500,
}

# The HTTP errors Flask or an extension raises, answered with a code above and a Chinese sentence.
HTTP_ERRORS = {
    400: ("bad_request", _l("请求格式不正确。")),
    401: ("unauthorized", _l("请先登录，或登录已失效。")),
    403: ("forbidden", _l("没有权限访问。")),
    404: ("not_found", _l("请求的内容不存在。")),
    405: ("method_not_allowed", _l("不支持此请求方法。")),
    413: ("too_large", _l("请求内容过大。")),
    415: ("unsupported_media_type", _l("请以 JSON 格式发送请求。")),
    429: ("too_many_requests", _l("尝试次数过多，请稍后再试。")),
}
# Statuses no route of the API is meant to give; answered generically rather than with a trace.
OTHER_HTTP_ERROR = ("bad_request", _l("请求失败。"))


def api_error(status: int, code: str, message: str) -> tuple[Response, int]:
    """The API's one error shape: {"error": code, "message": Chinese sentence}."""
    if ERROR_CODES.get(code) != status:
        raise ValueError(f"API error code {code!r} with status {status} is not in ERROR_CODES")
    return jsonify(error=code, message=message), status


def http_error_response(error: HTTPException) -> tuple[Response, int]:
    """An HTTP error as JSON, keeping the headers HTTP requires (Allow on 405, Retry-After...)."""
    status = error.code or 500
    code, message = HTTP_ERRORS.get(status, OTHER_HTTP_ERROR)
    response, _status = api_error(ERROR_CODES[code], code, str(message))
    response.headers.extend(required_headers(error))
    return response, status


def required_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The headers an HTTP error carries besides its own body's type (Allow, Retry-After...)."""
    return [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
