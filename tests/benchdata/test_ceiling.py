"""The ceiling endpoints, only when BENCHMARK_ENDPOINTS is on: one upsert per call, and a
role-play reply's unavoidable writes (a step row, the run moved on) with the replies' rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tests.roleplay.factories import assign, saved_scenario
from training import create_app
from training.benchdata.models import BenchCeiling
from training.database import db
from training.roleplay.models import RunStep, ScenarioRun
from training.roleplay.runs import start_or_resume


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


class TestReplyCeiling:
    @pytest.fixture
    def app_config(self):
        return {"BENCHMARK_ENDPOINTS": True}

    @pytest.fixture
    def run(self, make_user):
        user = make_user()
        scenario = saved_scenario()
        assign(scenario, user)
        run = start_or_resume(user, scenario)
        db.session.commit()
        return run

    def post(self, app, client, run, step, user=None):
        headers = {"Authorization": f"Bearer {token_for(client, user or run.user)}"}
        return app.test_client(use_cookies=False).post(
            f"/api/v1/bench/ceiling/runs/{run.id}/steps", json={"step": step}, headers=headers)

    def stored_steps(self, run) -> list[int]:
        db.session.expire_all()
        return list(db.session.scalars(select(RunStep.step).filter_by(run_id=run.id)))

    def test_each_step_is_recorded_and_moves_the_run_on(self, app, client, run):
        answers = [self.post(app, client, run, step) for step in (1, 2, 3)]
        assert [r.get_json() for r in answers] == [{"run_id": run.id, "step": s} for s in (2, 3, 4)]
        assert self.stored_steps(run) == [1, 2, 3]
        assert db.session.get(ScenarioRun, run.id).step == 4

    def test_a_repeated_step_changes_nothing_and_a_step_ahead_is_refused(self, app, client, run):
        self.post(app, client, run, 1)
        again = self.post(app, client, run, 1)
        ahead = self.post(app, client, run, 5)
        assert again.get_json()["step"] == 2
        assert (ahead.status_code, ahead.get_json()["error"]) == (409, "step_ahead")
        assert self.stored_steps(run) == [1]

    def test_another_employees_run_is_a_404(self, app, client, run, make_user):
        assert self.post(app, client, run, 1, user=make_user()).status_code == 404
        assert self.stored_steps(run) == []


def test_the_route_does_not_exist_by_default(database_url, monkeypatch):
    monkeypatch.delenv("SERVICECOACH_BENCHMARK_ENDPOINTS", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    assert not app.config["BENCHMARK_ENDPOINTS"]
    assert "api.bench_ceiling" not in app.view_functions
    assert "api.bench_reply_ceiling" not in app.view_functions


def test_the_environment_switches_it_on(database_url, monkeypatch):
    monkeypatch.setenv("SERVICECOACH_BENCHMARK_ENDPOINTS", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    assert "api.bench_ceiling" in app.view_functions
