"""The role-play JSON API: list, start/resume, reply step by step, read; no leaks, no twins."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers import api_login, bearer, keys_in
from tests.roleplay.factories import CRITICAL_PATH, GOOD_PATH, SECRETS, assign, saved_scenario
from tests.roleplay.sample import data
from training.database import db

SCORING_KEYS = {"points", "critical", "feedback", "model_reply", "score", "passed", "dimensions",
                "critical_mistakes", "debrief", "suggested"}


@pytest.fixture
def employee(make_user):
    return make_user(username="li.xiaomei")


@pytest.fixture
def scenario(employee):
    scenario = saved_scenario()
    assign(scenario, employee)
    return scenario


@pytest.fixture
def signed_in(client, employee):
    api_login(client, employee)
    return employee


def start(client, scenario_id: int):
    return client.post(f"/api/v1/scenarios/{scenario_id}/runs")


def answer(client, run_id: int, step: int, **replying: Any):
    return client.post(f"/api/v1/runs/{run_id}/replies", json={"step": step, **replying})


def play(client, path) -> dict[str, Any]:
    """Play a path from a fresh start through the API; the last answer's body."""
    body = start(client, client.scenario_id).get_json()
    for replying in path:
        response = answer(client, body["run_id"], body["step"], **replying)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
    return body


@pytest.fixture
def player(client, signed_in, scenario):
    client.scenario_id = scenario.id
    return client


def test_my_scenarios_are_listed_with_my_record(player, scenario, make_user):
    listed = player.get("/api/v1/scenarios").get_json()["scenarios"]
    assert [(s["id"], s["title"], s["channel"], s["runs_used"], s["best_score"], s["passed"])
            for s in listed] == [(scenario.id, scenario.title, "counter", 0, None, False)]
    assert listed[0]["brief"]["customer"] == "中年男性，老客户，赶时间"
    play(player, CRITICAL_PATH)
    again = player.get("/api/v1/scenarios").get_json()["scenarios"][0]
    assert (again["runs_used"], again["passed"]) == (1, False)
    assert again["best_score"] is not None


def test_start_twice_resumes_the_same_run_at_its_step(player, scenario):
    first = start(player, scenario.id).get_json()
    assert first["step"] == 1 and first["mood"] == 25
    assert first["node"] == {"id": "c1", "kind": "customer", "text": "我排了四十分钟队，你现在告诉我办不了？",
                             "options": []}
    answer(player, first["run_id"], 1)
    resumed = start(player, scenario.id).get_json()
    assert (resumed["run_id"], resumed["step"], resumed["node"]["id"]) == (first["run_id"], 2, "d1")
    assert [o["id"] for o in resumed["node"]["options"]] == ["a", "b", "c"]


def test_a_scenario_not_assigned_to_me_is_not_found(player, make_user):
    other = saved_scenario({**data(), "key": "other"})
    response = start(player, other.id)
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_no_scoring_data_reaches_the_player_before_the_end(player, scenario):
    bodies = []
    body = start(player, scenario.id).get_json()
    for replying in GOOD_PATH[:-1]:
        response = answer(player, body["run_id"], body["step"], **replying)
        bodies.append(response.get_data(as_text=True))
        body = response.get_json()
        assert not keys_in(body) & SCORING_KEYS
        bodies.append(player.get(f"/api/v1/runs/{body['run_id']}").get_data(as_text=True))
    assert body["state"] == "in_progress"
    assert [t["reply"] for t in body["transcript"]][1] == "先生，让您久等了，非常抱歉。您是想办理网银盾对吗？"
    for raw in bodies:
        for secret in SECRETS:
            assert secret not in raw


def test_the_ended_run_carries_its_result_and_debrief(player, scenario):
    body = play(player, CRITICAL_PATH)
    assert (body["state"], body["outcome"], body["passed"]) == ("ended", "lost", False)
    assert body["critical_mistakes"] == [{"step": 2, "reason": "在柜台大声念出客户完整身份证号，泄露隐私。"}]
    assert set(body["dimensions"]) == {"listen", "empathy", "apology", "resolve", "ownership",
                                       "compliance", "mood"}
    picked = body["transcript"][1]
    assert picked["critical"] and picked["model_reply"].startswith("先生，让您久等了")
    assert picked["articles"] == ["customer-service-rules#a12"]
    assert player.get(f"/api/v1/runs/{body['run_id']}").get_json() == body


def test_a_typed_reply_leaves_the_result_provisional(player, scenario):
    body = play(player, GOOD_PATH)
    assert (body["state"], body["provisional"], body["outcome"]) == ("pending_review", True, "resolved")
    assert body["transcript"][3]["suggested"] and not body["transcript"][3]["reviewed"]


def test_a_repeated_reply_returns_the_state_unchanged_and_a_future_step_is_409(player, scenario):
    run_id = start(player, scenario.id).get_json()["run_id"]
    answer(player, run_id, 1)
    first = answer(player, run_id, 2, option_id="a").get_json()
    assert answer(player, run_id, 2, option_id="b").get_json() == first  # a double click
    assert answer(player, run_id, 1).get_json() == first
    ahead = answer(player, run_id, 9)
    assert ahead.status_code == 409 and ahead.get_json()["error"] == "step_ahead"
    assert player.get(f"/api/v1/runs/{run_id}").get_json()["step"] == 3


@pytest.mark.parametrize("body", [{}, {"step": "1"}, {"step": 0}, {"step": 1, "option_id": 3},
                                  {"step": 1, "text": "我来处理"}])
def test_malformed_replies_are_422(player, scenario, body):
    run_id = start(player, scenario.id).get_json()["run_id"]
    response = player.post(f"/api/v1/runs/{run_id}/replies", json=body)
    assert response.status_code == 422 and response.get_json()["error"] == "invalid_reply"


def test_another_employees_run_is_404(client, player, scenario, make_user):
    run_id = start(player, scenario.id).get_json()["run_id"]
    intruder = make_user()
    assign(scenario, intruder)
    api_login(client, intruder)
    assert client.get(f"/api/v1/runs/{run_id}").status_code == 404
    refused = answer(client, run_id, 1)
    assert refused.status_code == 404 and refused.get_json()["error"] == "not_found"


def test_the_run_limit_is_409_no_runs_left(player, scenario):
    scenario.max_runs = 1
    db.session.commit()
    play(player, CRITICAL_PATH)
    refused = start(player, scenario.id)
    assert refused.status_code == 409 and refused.get_json()["error"] == "no_runs_left"
    assert player.get("/api/v1/scenarios").get_json()["scenarios"][0]["runs_left"] == 0


def test_answers_are_never_stored_by_a_browser(player, scenario):
    response = start(player, scenario.id)
    assert response.headers["Cache-Control"] == "no-store"


class TestWithCsrf:
    """With CSRF on, as in production: the chat page's cookie session needs the token."""

    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_cookie_replies_need_the_csrf_token_and_bearer_tokens_do_not(
        self, client, employee, scenario
    ):
        token = api_login(client, employee)
        refused = start(client, scenario.id)
        assert refused.status_code == 400 and refused.get_json()["error"] == "csrf_failed"
        csrf = re.sub(r"\s", "", client.get("/api/v1/csrf-token").get_json()["csrf_token"])
        assert client.post(f"/api/v1/scenarios/{scenario.id}/runs",
                           headers={"X-CSRFToken": csrf}).status_code == 200
        client.delete_cookie("session")
        started = client.post(f"/api/v1/scenarios/{scenario.id}/runs",
                              headers=bearer(token))
        assert started.status_code == 200
