"""Signed-in pages and API answers say `no-store`; static files keep their caching."""

from __future__ import annotations

from tests.exams.test_api import start
from tests.helpers import api_login, bearer


def no_store(response) -> bool:
    return response.headers.get("Cache-Control") == "no-store"


def test_the_exam_page_attempt_and_result_are_never_stored(client, login_as, make_exam):
    login_as("employee")
    exam = make_exam()
    page = client.get(f"/exams/{exam.id}")
    assert page.status_code == 200 and no_store(page)
    attempt_id = start(client, exam.id).get_json()["attempt_id"]
    attempt = client.get(f"/exams/attempts/{attempt_id}")
    assert attempt.status_code == 200 and no_store(attempt)
    assert no_store(client.get(f"/api/v1/attempts/{attempt_id}"))


def test_the_grading_pages_are_never_stored(client, login_as, make_exam):
    login_as("trainer")
    exam = make_exam()
    for url in (f"/exams/manage/{exam.id}/grading", f"/exams/manage/{exam.id}/attempts"):
        response = client.get(url)
        assert response.status_code == 200 and no_store(response), url


def test_api_answers_are_never_stored_even_when_signed_out(app, client, make_user):
    assert no_store(client.get("/api/v1/openapi.json"))
    script = app.test_client(use_cookies=False)
    token = api_login(client, make_user())
    assert no_store(script.get("/api/v1/exams", headers=bearer(token)))
    assert no_store(script.get("/api/v1/exams"))  # the 401 too


def test_static_files_keep_their_caching_for_signed_in_users(client, login_as):
    login_as("employee")
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and not no_store(response)
