"""Sign-in, lock-out, forced password change, sessions, CSRF and security headers."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from tests.conftest import TEST_PASSWORD
from training.audit.models import AuditEvent
from training.database import db


def login(client, username: str, password: str = TEST_PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def test_sign_in_and_out(client, make_user):
    user = make_user(roles=("employee",))
    response = login(client, user.username)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "您好" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_login_is_case_insensitive_and_accepts_surrounding_spaces(client, make_user):
    make_user(username="Zhang.Wei")
    assert login(client, "  zhang.wei ").status_code == 302


def test_wrong_password_and_unknown_user_read_the_same(client, make_user):
    user = make_user()
    wrong = login(client, user.username, "nope-nope").get_data(as_text=True)
    unknown = login(client, "ghost", "nope-nope").get_data(as_text=True)
    message = "登录名或密码错误，或账号已停用。"
    assert message in wrong and message in unknown


def test_failed_login_is_audited_without_the_password(client, make_user):
    user = make_user()
    login(client, user.username, "secret-guess-1")
    events = db.session.scalars(select(AuditEvent).filter_by(action="auth.login_failed")).all()
    assert [e.target_id for e in events] == [user.id]
    assert "secret-guess-1" not in str(events[0].details)


def test_password_is_stored_hashed(make_user):
    user = make_user(password="plain-text-pw")
    assert "plain-text-pw" not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")


def test_legacy_scrypt_hash_still_signs_in_and_is_upgraded(client, make_user):
    """Accounts hashed by earlier versions keep working; their hash moves to Argon2id."""
    user = make_user(password="old-style-pw1")
    user.password_hash = generate_password_hash("old-style-pw1", method="scrypt")
    db.session.commit()
    assert login(client, user.username, "old-style-pw1").status_code == 302
    db.session.refresh(user)
    assert user.password_hash.startswith("$argon2id$")
    assert user.check_password("old-style-pw1") and not user.check_password("wrong-pass")


def test_lockout_after_five_failures_counts_per_login_name(client, make_user):
    victim, colleague = make_user(), make_user()
    for _ in range(5):
        assert login(client, victim.username, "wrong-pass").status_code == 200
    locked = login(client, victim.username)  # even the right password
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.get_data(as_text=True)
    # the same office address can still sign other people in
    assert login(client, colleague.username).status_code == 302


def test_successful_logins_do_not_count_towards_lockout(client, make_user):
    user = make_user()
    for _ in range(7):
        assert login(client, user.username).status_code == 302
        client.post("/logout")


def test_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    assert login(client, user.username).status_code == 200


def test_imported_user_must_change_password_first(client, make_user):
    user = make_user()
    user.must_change_password = True
    db.session.commit()
    login(client, user.username)
    assert client.get("/").headers["Location"] == "/password"
    response = client.post(
        "/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "my-own-pass-1",
            "confirm": "my-own-pass-1",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    db.session.refresh(user)
    assert not user.must_change_password and user.check_password("my-own-pass-1")


def test_password_change_rejects_wrong_current_and_mismatch(client, login_as):
    login_as("employee")
    wrong = client.post(
        "/password",
        data={
            "current_password": "not-it-at-all",
            "new_password": "new-pass-123",
            "confirm": "new-pass-123",
        },
    )
    assert "当前密码不正确" in wrong.get_data(as_text=True)
    mismatch = client.post(
        "/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "new-pass-123",
            "confirm": "other-pass-1",
        },
    )
    assert "两次输入的密码不一致" in mismatch.get_data(as_text=True)


def test_password_change_signs_out_other_sessions(app, make_user):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    login(first, user.username)
    login(second, user.username)
    first.post(
        "/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "rotated-pass-1",
            "confirm": "rotated-pass-1",
        },
    )
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_remember_me_sets_a_persistent_cookie(client, make_user):
    user = make_user()
    response = login(client, user.username, remember="y")
    assert any("remember_token" in c for c in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/admin/users/", "/admin/users/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_next_parameter_never_leaves_the_site(client, make_user, target, expected):
    user = make_user(roles=("admin",))
    response = login(client, user.username, next=target)
    assert response.headers["Location"] == expected


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_health_check_is_public(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_post_without_token_is_refused(self, client, make_user):
        user = make_user()
        response = login(client, user.username)
        assert response.status_code == 400
        assert "页面已过期" in response.get_data(as_text=True)

    def test_login_form_carries_a_token(self, client):
        assert 'name="csrf_token"' in client.get("/login").get_data(as_text=True)
