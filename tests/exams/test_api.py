"""The JSON API contract: login and tokens, CSRF, start/save/submit/read, errors, no leaks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select, update

from tests.conftest import TEST_PASSWORD
from tests.exams.conftest import SECRET_BLANK, SECRET_EXPLANATION, SECRET_REFERENCE
from tests.helpers import api_login, bearer, keys_in
from training.api.tokens import DEFAULT_CACHE_SECONDS
from training.auth.models import ApiToken
from training.bank.services import update_question
from training.database import db, utcnow
from training.exams.models import Answer, Attempt
from training.papers.services import DrawnItem
from training.people.services import set_active

SECRETS = (SECRET_EXPLANATION, SECRET_REFERENCE, SECRET_BLANK)
FORBIDDEN_KEYS = {"answer", "explanation", "scoring_points", "key", "reference"}


@pytest.fixture
def employee(make_user):
    return make_user(username="zhang.san")


@pytest.fixture
def signed_in(client, employee):
    api_login(client, employee)
    return employee


def start(client, exam_id: int, **kwargs):
    return client.post(f"/api/v1/exams/{exam_id}/attempts", **kwargs)


def test_login_returns_a_token_and_the_user_and_sets_the_cookie(client, employee):
    response = client.post("/api/v1/login", json={"username": "zhang.san", "password": TEST_PASSWORD})
    body = response.get_json()
    assert body["token"].startswith("sc_") and body["user"]["username"] == "zhang.san"
    assert "session=" in response.headers["Set-Cookie"]
    assert client.get("/api/v1/exams").status_code == 200  # the cookie alone signs in
    stored = db.session.scalars(select(ApiToken)).one()
    assert body["token"] not in (stored.token_hash,)  # only the hash is kept


def test_bad_login_is_a_json_401_in_chinese(client, employee):
    response = client.post("/api/v1/login", json={"username": "zhang.san", "password": "wrong"})
    assert response.status_code == 401
    assert response.get_json() == {
        "error": "invalid_credentials", "message": "登录名或密码错误，或账号已停用。"
    }
    assert client.post("/api/v1/login", data="x").status_code == 415


def test_api_login_is_rate_limited_like_the_web_login(client, employee):
    codes = [
        client.post("/api/v1/login", json={"username": "zhang.san", "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert codes == [401] * 5 + [429]
    locked = client.post("/api/v1/login", json={"username": "zhang.san", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert locked.get_json()["error"] == "too_many_requests"


def test_anonymous_requests_get_json_401(client):
    response = client.get("/api/v1/exams")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_exam_list_shows_attempts_used_and_left(client, signed_in, make_exam):
    exam = make_exam(attempts_allowed=2)
    listed = client.get("/api/v1/exams").get_json()["exams"]
    assert [(e["id"], e["attempts_used"], e["attempts_left"]) for e in listed] == [(exam.id, 0, 2)]
    start(client, exam.id)
    listed = client.get("/api/v1/exams").get_json()["exams"][0]
    assert (listed["attempts_used"], listed["attempts_left"]) == (1, 1)
    assert listed["open_attempt_id"] and 0 < listed["remaining_seconds"] <= 1800


def test_start_contract_and_idempotence(client, signed_in, make_exam):
    exam = make_exam()
    first = start(client, exam.id)
    assert first.status_code == 200
    body = first.get_json()
    assert set(body) == {"attempt_id", "deadline", "server_time", "remaining_seconds", "questions", "answers"}
    assert body["remaining_seconds"] == 1800 or body["remaining_seconds"] == 1799
    assert set(body["questions"][0]) == {"id", "type", "stem", "options", "points", "blanks"}
    assert body["questions"][0]["options"][1] == {"label": "B", "text": "负责到底"}
    assert [q["blanks"] for q in body["questions"]] == [0, 0, 0, 2, 0]
    assert start(client, exam.id).get_json()["attempt_id"] == body["attempt_id"]


def test_in_progress_json_and_html_contain_no_key_or_explanation(client, signed_in, make_exam):
    exam = make_exam(kind="mock", review_when="immediately", review_answers=True,
                     review_explanations=True)
    started = start(client, exam.id)
    attempt_id = started.get_json()["attempt_id"]
    read = client.get(f"/api/v1/attempts/{attempt_id}")
    exam_list = client.get("/api/v1/exams")
    page = client.get(f"/exams/attempts/{attempt_id}")
    assert page.status_code == 200
    for response in (started, read, exam_list, page):
        raw = response.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in raw
    for response in (started, read, exam_list):
        assert not keys_in(response.get_json()) & FORBIDDEN_KEYS


def test_save_read_and_reload_restore_answers(client, signed_in, make_exam):
    exam = make_exam()
    body = start(client, exam.id).get_json()
    attempt_id, questions = body["attempt_id"], body["questions"]
    single, multiple, judge, blanks, essay = (q["id"] for q in questions)
    saves = {single: ["B"], multiple: ["A", "C"], judge: False, blanks: ["倾听", ""], essay: "先倾听。"}
    for question_id, response in saves.items():
        reply = client.put(f"/api/v1/attempts/{attempt_id}/answers/{question_id}",
                           json={"response": response, "seq": 1})
        assert reply.get_json() == {"saved": True, "seq": 1}
    stale = client.put(f"/api/v1/attempts/{attempt_id}/answers/{single}", json={"response": ["A"], "seq": 1})
    assert stale.get_json() == {"saved": True, "seq": 1}
    state = client.get(f"/api/v1/attempts/{attempt_id}").get_json()
    assert state["state"] == "in_progress"
    assert state["answers"] == {str(k): v for k, v in saves.items()}
    assert state["seqs"] == {str(k): 1 for k in saves}
    assert start(client, exam.id).get_json()["answers"] == state["answers"]  # another device


def test_malformed_and_late_saves_get_422_and_409(client, signed_in, make_exam):
    exam = make_exam(time_limit_minutes=5)
    body = start(client, exam.id).get_json()
    url = f"/api/v1/attempts/{body['attempt_id']}/answers/{body['questions'][0]['id']}"
    bad = client.put(url, json={"response": ["Q"], "seq": 1})
    assert bad.status_code == 422 and bad.get_json()["error"] == "invalid_response"
    assert client.put(url, json={"response": ["A"]}).status_code == 422
    assert client.put(url, json=["A"]).status_code == 422
    assert client.put(url + "0", json={"response": ["A"], "seq": 1}).status_code == 404
    with time_machine.travel(utcnow() + timedelta(minutes=6), tick=False):
        late = client.put(url, json={"response": ["A"], "seq": 2})
        assert late.status_code == 409
        assert late.get_json()["error"] == "deadline_passed"
        submitted = client.post(f"/api/v1/attempts/{body['attempt_id']}/submit")
        assert submitted.status_code == 409


def test_submit_is_idempotent_and_shows_score_only_when_allowed(client, signed_in, make_exam, objective_only):
    formal = make_exam(review_when="after_close")
    body = start(client, formal.id).get_json()
    url = f"/api/v1/attempts/{body['attempt_id']}/submit"
    first = client.post(url)
    assert first.get_json() == {"state": "submitted"}
    assert client.post(url).get_json() == {"state": "submitted"}
    assert db.session.scalar(select(Attempt.finish_reason)) == "submitted"

    mock = make_exam(kind="mock", attempts_allowed=None, review_when="immediately",
                     review_answers=True, review_explanations=True)
    body = start(client, mock.id).get_json()
    single = body["questions"][0]["id"]
    client.put(f"/api/v1/attempts/{body['attempt_id']}/answers/{single}", json={"response": ["B"], "seq": 1})
    result = client.post(f"/api/v1/attempts/{body['attempt_id']}/submit").get_json()
    assert result == {"state": "graded", "score": 2.0, "max_score": 7.0, "percent": 28.57, "passed": False}
    review = client.get(f"/api/v1/attempts/{body['attempt_id']}").get_json()["review"]
    # the formal attempt asked the same questions and hides their answers: the mock must not tell
    assert review[0] == {"id": single, "response": ["B"], "max_points": 2.0}
    after = client.put(f"/api/v1/attempts/{body['attempt_id']}/answers/{single}",
                       json={"response": ["A"], "seq": 2})
    assert after.status_code == 409 and after.get_json()["error"] == "already_submitted"


def test_subjective_answers_leave_the_attempt_pending_review(client, signed_in, make_exam):
    exam = make_exam(review_when="immediately")
    body = start(client, exam.id).get_json()
    essay = body["questions"][-1]["id"]
    client.put(f"/api/v1/attempts/{body['attempt_id']}/answers/{essay}", json={"response": "倾听", "seq": 1})
    assert client.post(f"/api/v1/attempts/{body['attempt_id']}/submit").get_json() == {"state": "pending_review"}


def test_employees_cannot_touch_each_others_attempts(app, client, make_user, make_exam):
    exam = make_exam()
    owner = make_user()
    api_login(client, owner)
    body = start(client, exam.id).get_json()
    attempt_id, question_id = body["attempt_id"], body["questions"][0]["id"]
    intruder = app.test_client()
    api_login(intruder, make_user())
    assert intruder.get(f"/api/v1/attempts/{attempt_id}").status_code == 404
    assert intruder.put(f"/api/v1/attempts/{attempt_id}/answers/{question_id}",
                        json={"response": ["A"], "seq": 9}).status_code == 404
    assert intruder.post(f"/api/v1/attempts/{attempt_id}/submit").status_code == 404
    assert intruder.get(f"/exams/attempts/{attempt_id}").status_code == 404
    assert db.session.scalar(select(Answer.id)) is None


def test_an_edit_reaches_new_attempts_while_started_ones_keep_their_version(
    app, client, make_user, make_exam, questions, drawn
):
    """Question faces are cached per process once frozen: the cache must not mix versions."""
    exam = make_exam()
    api_login(client, make_user())
    first = start(client, exam.id).get_json()
    assert start(client, exam.id).get_json()["questions"][0]["stem"] == first["questions"][0]["stem"]
    edited = questions[0].current_version.to_plain()
    edited.stem = "首问负责制（修订版）要求第一位接待客户的员工（ ）。"
    version = update_question(questions[0], edited)
    db.session.commit()
    drawn[0] = DrawnItem(questions[0].id, version.id, 2, drawn[0].section_title)  # as a redraw would
    colleague = app.test_client()
    api_login(colleague, make_user())
    assert start(colleague, exam.id).get_json()["questions"][0]["stem"] == edited.stem
    resumed = start(client, exam.id).get_json()
    assert resumed["questions"] == first["questions"]


def test_focus_events_are_accepted(client, signed_in, make_exam):
    exam = make_exam()
    attempt_id = start(client, exam.id).get_json()["attempt_id"]
    reply = client.post(f"/api/v1/attempts/{attempt_id}/events", json={"kind": "focus_lost"})
    assert reply.status_code == 201
    assert client.post(f"/api/v1/attempts/{attempt_id}/events", json={"kind": "x"}).status_code == 422


def test_openapi_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in described, (path, method)


class TestTokensAndCsrf:
    """With CSRF on, as in production: cookies need the token, bearer tokens do not."""

    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_bearer_token_works_without_cookie_or_csrf(self, app, client, employee, make_exam):
        exam = make_exam()
        token = api_login(client, employee)
        script = app.test_client(use_cookies=False)
        started = start(script, exam.id, headers=bearer(token))
        assert started.status_code == 200
        body = started.get_json()
        save = script.put(
            f"/api/v1/attempts/{body['attempt_id']}/answers/{body['questions'][0]['id']}",
            json={"response": ["B"], "seq": 1}, headers=bearer(token),
        )
        assert save.get_json() == {"saved": True, "seq": 1}
        assert "Set-Cookie" not in save.headers

    def test_bearer_calls_never_set_a_cookie(self, app, client, employee, make_exam):
        """A script's requests write no session: nothing to sign, send or keep per call."""
        token = api_login(client, employee)
        script = app.test_client(use_cookies=False)
        exam = make_exam()
        body = start(script, exam.id, headers=bearer(token)).get_json()
        attempt = f"/api/v1/attempts/{body['attempt_id']}"
        responses = [
            script.get("/api/v1/exams", headers=bearer(token)),
            start(script, exam.id, headers=bearer(token)),
            script.put(f"{attempt}/answers/{body['questions'][0]['id']}",
                       json={"response": ["B"], "seq": 1}, headers=bearer(token)),
            script.get(attempt, headers=bearer(token)),
            script.post(f"{attempt}/events", json={"kind": "focus_lost"}, headers=bearer(token)),
            script.post(f"{attempt}/submit", headers=bearer(token)),
        ]
        assert [r.status_code for r in responses] == [200, 200, 200, 200, 201, 200]
        assert not [r.headers["Set-Cookie"] for r in responses if "Set-Cookie" in r.headers]

    def test_cookie_session_without_csrf_token_is_refused(self, client, employee, make_exam):
        exam = make_exam()
        api_login(client, employee)
        refused = start(client, exam.id)
        assert refused.status_code == 400
        assert refused.get_json()["error"] == "csrf_failed"
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/exams/").get_data(as_text=True))
        assert token, "the page must carry the CSRF token for the exam script"
        assert start(client, exam.id, headers={"X-CSRFToken": token.group(1)}).status_code == 200
        fresh = client.get("/api/v1/csrf-token").get_json()["csrf_token"]
        assert start(client, exam.id, headers={"X-CSRFToken": fresh}).status_code == 200

    def test_revoked_expired_and_unknown_tokens_are_refused(self, app, client, employee):
        token = api_login(client, employee)
        script = app.test_client(use_cookies=False)
        assert script.get("/api/v1/exams", headers=bearer(token)).status_code == 200
        assert script.get("/api/v1/exams", headers=bearer("sc_nonsense")).status_code == 401
        with time_machine.travel(utcnow() + timedelta(hours=13)):
            assert script.get("/api/v1/exams", headers=bearer(token)).status_code == 401
        assert script.post("/api/v1/logout", headers=bearer(token)).get_json() == {"logged_out": True}
        assert script.get("/api/v1/exams", headers=bearer(token)).status_code == 401

    def test_a_password_change_kills_tokens(self, app, client, employee):
        token = api_login(client, employee)
        employee.set_password("another-horse-7")
        db.session.commit()
        script = app.test_client(use_cookies=False)
        assert script.get("/api/v1/exams", headers=bearer(token)).status_code == 401



class TestTokenCache:
    """Each process keeps a token it read for API_TOKEN_CACHE_SECONDS: saves skip the lookup, and
    a change made elsewhere (another process, the database) takes at most that long to bite."""

    @pytest.fixture
    def script(self, app, client, employee):
        token = api_login(client, employee)
        script = app.test_client(use_cookies=False)
        assert script.get("/api/v1/exams", headers=bearer(token)).status_code == 200  # now cached
        return lambda: script.get("/api/v1/exams", headers=bearer(token)).status_code

    @pytest.mark.parametrize("change", ["revoked", "deactivated", "new_password"])
    def test_a_change_made_elsewhere_bites_within_the_documented_delay(self, script, employee, change):
        if change == "revoked":
            db.session.execute(update(ApiToken).values(revoked_at=utcnow()))
        elif change == "deactivated":
            set_active(employee, False)
        else:
            employee.set_password("another-horse-7")
        db.session.commit()
        assert script() == 200  # this process still holds the token it read
        with time_machine.travel(utcnow() + timedelta(seconds=DEFAULT_CACHE_SECONDS)):
            assert script() == 401

    @pytest.mark.parametrize("app_config", [{"API_TOKEN_CACHE_SECONDS": 0}])
    def test_no_cache_means_no_delay(self, script, employee):
        set_active(employee, False)
        db.session.commit()
        assert script() == 401


def test_one_bearer_save_costs_two_statements(app, client, employee, make_exam, count_queries):
    """The attempt, its exam and the question in one read, then the upsert; the token is cached."""
    token = api_login(client, employee)
    script = app.test_client(use_cookies=False)
    body = start(script, make_exam().id, headers=bearer(token)).get_json()
    url = f"/api/v1/attempts/{body['attempt_id']}/answers/{body['questions'][0]['id']}"
    for seq in (1, 2):
        with count_queries() as counted:
            saved = script.put(url, json={"response": ["B"], "seq": seq}, headers=bearer(token))
        assert saved.get_json() == {"saved": True, "seq": seq}
        assert counted.count == 2, counted.statements


def write_block(statements: list[str]) -> list[str]:
    """The statements from the first write to the last, each reduced to its first word."""
    verbs = [s.split()[0].upper() for s in statements]
    writes = [n for n, verb in enumerate(verbs) if verb in ("INSERT", "UPDATE", "DELETE")]
    return verbs[writes[0]:writes[-1] + 1] if writes else []


def test_start_reads_everything_before_its_first_write(app, client, employee, make_exam,
                                                         count_queries):
    """SQLite holds its one write lock from a transaction's first write to its commit: the token's
    last use, stamped on its first read, waits for Start's own writes instead of taking the lock
    before Start has even read the exam."""
    token = api_login(client, employee)
    exam = make_exam()
    script = app.test_client(use_cookies=False)
    with count_queries() as counted:
        assert start(script, exam.id, headers=bearer(token)).status_code == 200
    stamp = next(s for s in counted.statements if s.startswith("UPDATE api_token"))
    assert "SELECT" not in write_block(counted.statements), counted.statements
    assert stamp in counted.statements
    db.session.expire_all()
    assert db.session.scalars(select(ApiToken.last_used_at)).one() is not None


def test_a_read_only_call_still_records_the_tokens_use(app, client, employee):
    token = api_login(client, employee)
    assert app.test_client(use_cookies=False).get(
        "/api/v1/exams", headers=bearer(token)).status_code == 200
    db.session.expire_all()
    assert db.session.scalars(select(ApiToken.last_used_at)).one() is not None
