"""Sign-out ends the session on the server: an old cookie replayed afterwards signs no one in."""

from __future__ import annotations

from tests.auth.test_login import login
from tests.conftest import TEST_PASSWORD


def cookie(client, name: str) -> str:
    found = client.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value


def replay(app, **cookies: str):
    """A fresh browser holding only the given cookies."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def test_logout_ends_the_session_cookie_and_the_remember_cookie(app, client, make_user):
    user = make_user()
    login(client, user.username, remember="y")
    session, remember = cookie(client, "session"), cookie(client, "remember_token")
    assert replay(app, session=session).get("/").status_code == 200  # the replay works while live
    client.post("/logout")
    assert replay(app, session=session).get("/").status_code == 302
    assert replay(app, remember_token=remember).get("/").status_code == 302


def test_logout_ends_only_this_device(app, make_user):
    user = make_user()
    office, phone = app.test_client(), app.test_client()
    login(office, user.username)
    login(phone, user.username)
    office.post("/logout")
    assert office.get("/").status_code == 302
    assert phone.get("/").status_code == 200


def test_revoking_the_api_token_ends_the_cookie_session_of_the_same_login(app, client, make_user):
    user = make_user()
    body = client.post(
        "/api/v1/login", json={"username": user.username, "password": TEST_PASSWORD}
    ).get_json()
    assert client.get("/api/v1/exams").status_code == 200
    script = app.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert script.post("/api/v1/logout", headers=headers).status_code == 200
    assert client.get("/api/v1/exams").status_code == 401
    assert client.get("/").status_code == 302


def test_api_logout_with_the_cookie_ends_the_session_and_the_token(app, client, make_user):
    user = make_user()
    body = client.post(
        "/api/v1/login", json={"username": user.username, "password": TEST_PASSWORD}
    ).get_json()
    session = cookie(client, "session")
    assert client.post("/api/v1/logout").get_json() == {"logged_out": True}
    assert replay(app, session=session).get("/api/v1/exams").status_code == 401
    script = app.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert script.get("/api/v1/exams", headers=headers).status_code == 401
