"""The API's sign-in follows the web's rules: forced password change, one lock-out counter."""

from __future__ import annotations

import json

import pytest

from tests.auth.test_login import login
from tests.conftest import TEST_PASSWORD
from training.database import db

STRANGER = {"REMOTE_ADDR": "203.0.113.9"}
CALL_CENTER = {"REMOTE_ADDR": "198.51.100.20"}


def api_login(client, username: str, password: str = TEST_PASSWORD, **extra):
    return client.post(
        "/api/v1/login", json={"username": username, "password": password}, **extra
    )


@pytest.fixture
def must_change(make_user):
    user = make_user()
    user.must_change_password = True
    db.session.commit()
    return user


def test_api_refuses_a_user_who_must_change_the_initial_password(client, must_change):
    response = api_login(client, must_change.username)
    assert response.status_code == 403
    body = response.get_json()
    assert body["error"] == "password_change_required" and "修改初始密码" in body["message"]
    assert "token" not in body
    assert client.get("/api/v1/exams").status_code == 401  # and no cookie session either


def test_a_web_session_cannot_use_the_api_before_changing_the_password(client, must_change):
    login(client, must_change.username)
    refused = client.get("/api/v1/exams")
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "password_change_required"
    assert client.post("/api/v1/logout").status_code == 200


def test_openapi_documents_the_password_change_refusal(client):
    document = json.dumps(client.get("/api/v1/openapi.json").get_json())
    assert "password_change_required" in document


def test_web_failures_lock_the_api_login_too(client, make_user):
    user = make_user()
    for _ in range(5):
        assert login(client, user.username, "wrong-pass").status_code == 200
    assert api_login(client, user.username).status_code == 429


def test_api_failures_lock_the_web_login_too(client, make_user):
    user = make_user()
    for _ in range(5):
        assert api_login(client, user.username, "wrong-pass").status_code == 401
    assert login(client, user.username).status_code == 429


def web_login_from(address: dict[str, str], client, username: str, password: str = TEST_PASSWORD):
    form = {"username": username, "password": password}
    return client.post("/login", data=form, environ_base=address)


def test_a_stranger_cannot_lock_a_name_out_from_elsewhere(client, make_user):
    user = make_user()
    for _ in range(5):
        web_login_from(STRANGER, client, user.username, "wrong-pass")
    assert web_login_from(STRANGER, client, user.username).status_code == 429
    assert web_login_from(CALL_CENTER, client, user.username).status_code == 302
    assert api_login(client, user.username, environ_base=CALL_CENTER).status_code == 200


@pytest.mark.parametrize("body", ["true", "1", '"x"', '["a"]', "null", "[]"])
def test_a_login_body_that_is_not_an_object_is_a_422(client, body):
    response = client.post("/api/v1/login", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_json"
    assert response.get_json()["message"]
