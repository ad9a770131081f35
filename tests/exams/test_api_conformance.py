"""The API keeps the promises of its OpenAPI document (issue 20): ids, 405s, codes, bodies."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.exams.test_api import start
from tests.helpers import api_login
from training.api.errors import ERROR_CODES
from training.api.routes import OPENAPI

TOO_BIG = 2**63  # past what SQLite's driver takes (the example)
PAST_INTEGER = 2**31  # past PostgreSQL's `integer`, the type of every id column
WRITES = ("post", "put")


@pytest.fixture
def document() -> dict:
    return json.loads(OPENAPI.read_text("utf-8"))


@pytest.fixture
def signed_in(client, make_user):
    user = make_user()
    api_login(client, user)
    return user


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", f"/api/v1/attempts/{TOO_BIG}", None),
        ("post", f"/api/v1/attempts/{TOO_BIG}/submit", None),
        ("post", f"/api/v1/attempts/{TOO_BIG}/events", {"kind": "focus_lost"}),
        ("post", f"/api/v1/exams/{TOO_BIG}/attempts", None),
        ("put", f"/api/v1/attempts/1/answers/{TOO_BIG}", {"response": None, "seq": 1}),
    ],
)
def test_an_api_id_past_the_database_range_is_not_found(client, signed_in, method, url, body):
    response = getattr(client, method)(url, json=body)
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found", "message": "请求的内容不存在。"}


@pytest.mark.parametrize(
    "url", [f"/exams/{TOO_BIG}", f"/exams/attempts/{TOO_BIG}/result", f"/practice/answers/{TOO_BIG}"]
)
def test_a_page_id_past_the_database_range_is_not_found(client, login_as, url):
    login_as("employee")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("attempt_id", [PAST_INTEGER, TOO_BIG - 1])
def test_an_id_past_the_integer_column_is_not_found_either(client, signed_in, attempt_id):
    response = client.get(f"/api/v1/attempts/{attempt_id}")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_the_largest_storable_id_still_reaches_the_view(client, signed_in):
    response = client.get(f"/api/v1/attempts/{PAST_INTEGER - 1}")
    assert response.status_code == 404
    assert response.get_json()["message"] == "答卷不存在"  # the service's own not-found


def test_a_wrong_method_says_which_are_allowed_in_chinese(client, signed_in):
    response = client.delete("/api/v1/exams")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    assert response.get_json() == {"error": "method_not_allowed", "message": "不支持此请求方法。"}


def test_a_wrong_method_on_a_page_keeps_the_allow_header(client, login_as):
    login_as("employee")
    response = client.delete("/")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_the_document_describes_only_routes_that_exist(app, document):
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()}
    assert set(document["paths"]) <= routes
    assert "/api/v1/bench/ceiling" not in document["paths"]


def test_starting_with_a_body_that_is_no_object_is_a_documented_422(client, signed_in, document):
    response = client.post(f"/api/v1/exams/{PAST_INTEGER - 1}/attempts", json=["password"])
    assert response.status_code == 422 and response.get_json()["error"] == "invalid_json"
    assert "422" in document["paths"]["/api/v1/exams/{exam_id}/attempts"]["post"]["responses"]


def test_every_cookie_write_documents_the_csrf_refusal(document):
    writes = [
        operation
        for operations in document["paths"].values()
        for method, operation in operations.items()
        if method in WRITES and operation["operationId"] != "login"
    ]
    assert writes
    for operation in writes:
        assert "csrf_failed" in operation["responses"]["400"]["description"], operation["operationId"]


class TestCsrfRefusal:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_cookie_write_without_the_token_is_csrf_failed(self, client, signed_in):
        response = client.post(f"/api/v1/attempts/{PAST_INTEGER - 1}/submit")
        assert response.status_code == 400 and response.get_json()["error"] == "csrf_failed"


def test_an_event_with_a_client_time_that_is_no_number_is_refused(client, signed_in, make_exam):
    attempt_id = start(client, make_exam().id).get_json()["attempt_id"]
    url = f"/api/v1/attempts/{attempt_id}/events"
    response = client.post(url, json={"kind": "focus_lost", "client_time": "yesterday"})
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "invalid_event", "message": "client_time 必须是数字（毫秒时间戳）。"
    }
    assert client.post(url, json={"kind": "focus_lost", "client_time": 1.7e12}).status_code == 201


def test_a_whole_number_seq_written_as_a_float_is_accepted(client, signed_in, make_exam):
    started = start(client, make_exam().id).get_json()
    question_id = started["questions"][0]["id"]
    url = f"/api/v1/attempts/{started['attempt_id']}/answers/{question_id}"
    response = client.put(url, json={"response": None, "seq": 2.0})
    assert response.status_code == 200 and response.get_json() == {"saved": True, "seq": 2}
    assert client.put(url, json={"response": None, "seq": 2.5}).status_code == 422


def test_the_document_lists_exactly_the_codes_the_handlers_use(document):
    listed = document["components"]["schemas"]["Error"]["properties"]["error"]["enum"]
    assert listed == sorted(ERROR_CODES)


def _codes_in_source() -> set[str]:
    """Every code literal passed to api_error(...) or an ExamRefused-like exception."""
    raisers = {"api_error", "ExamRefused", "ExamForbidden", "InvalidResponse"}
    codes = set()
    for path in Path("training").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in raisers:
                codes |= {
                    arg.value for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                }
    return codes


def test_every_code_the_code_raises_is_in_the_list():
    grading_only = {"not_submitted", "not_manual"}  # trainer pages' refusals, never via the API
    assert _codes_in_source() - grading_only <= set(ERROR_CODES)


def test_a_login_body_that_is_a_json_list_is_a_422_not_a_crash(client):
    response = client.post("/api/v1/login", json=[None, None])
    assert response.status_code == 422 and response.get_json()["error"] == "invalid_json"
