"""The ceiling endpoint: one upsert per call, only when BENCHMARK_ENDPOINTS is on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from training import create_app
from training.benchdata.models import BenchCeiling
from training.database import db


def token_for(client, user) -> str:
    response = client.post(
        "/api/v1/login", json={"username": user.username, "password": TEST_PASSWORD}
    )
    return response.get_json()["token"]


class TestEnabled:
    @pytest.fixture
    def app_config(self):
        return {"BENCHMARK_ENDPOINTS": True, "WTF_CSRF_ENABLED": True}

    def test_each_call_upserts_the_callers_row(self, app, client, make_user):
        user = make_user()
        headers = {"Authorization": f"Bearer {token_for(client, user)}"}
        script = app.test_client(use_cookies=False)
        counters = [script.put("/api/v1/bench/ceiling", headers=headers) for _ in range(3)]
        assert [r.status_code for r in counters] == [200, 200, 200]
        assert [r.get_json()["counter"] for r in counters] == [1, 2, 3]
        db.session.expire_all()
        rows = db.session.scalars(select(BenchCeiling)).all()
        assert [(r.user_id, r.counter) for r in rows] == [(user.id, 3)]

    def test_anonymous_callers_get_a_json_401(self, app):
        response = app.test_client().put("/api/v1/bench/ceiling")
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"

    def test_cookie_sessions_still_need_the_csrf_token(self, client, make_user):
        token_for(client, make_user())
        response = client.put("/api/v1/bench/ceiling")
        assert response.status_code == 400
        assert response.get_json()["error"] == "csrf_failed"


def test_the_route_does_not_exist_by_default(database_url, monkeypatch):
    monkeypatch.delenv("SERVICECOACH_BENCHMARK_ENDPOINTS", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    assert not app.config["BENCHMARK_ENDPOINTS"]
    assert "api.bench_ceiling" not in app.view_functions


def test_the_environment_switches_it_on(database_url, monkeypatch):
    monkeypatch.setenv("SERVICECOACH_BENCHMARK_ENDPOINTS", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    assert "api.bench_ceiling" in app.view_functions
