"""Immediate feedback, favourites, progress numbers and who may practise."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tests.practice.conftest import SECRET_EXPLANATION
from training.database import db, utcnow
from training.people.models import User
from training.practice.models import PracticeAnswer, WrongBookEntry
from training.practice.queries import progress


def test_question_page_has_no_key_and_feedback_shows_the_explanation(client, login_as, bank):
    user = login_as("employee")
    a1 = bank["a1"]
    page = client.get(f"/practice/q/{a1.id}?mode=sequential").get_data(as_text=True)
    assert "首问负责制要求" in page
    assert SECRET_EXPLANATION not in page and "sc-correct" not in page and "答案:" not in page
    response = client.post(f"/practice/q/{a1.id}?mode=sequential", data={"response": "B"})
    assert response.status_code == 302 and "/practice/answers/" in response.headers["Location"]
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "回答正确" in feedback and SECRET_EXPLANATION in feedback and "下一题" in feedback
    given = db.session.scalar(select(PracticeAnswer).where(PracticeAnswer.user_id == user.id))
    assert (given.correct, given.response, given.mode) == (True, "B", "sequential")
    assert given.version_id == a1.current_version_id
    assert db.session.scalar(select(WrongBookEntry)) is None


@pytest.mark.parametrize(
    ("name", "data", "correct"),
    [
        ("b1", {"response": ["A", "C"]}, True),
        ("b1", {"response": ["A"]}, False),
        ("a2", {"response": "false"}, True),
        ("b2", {"response": ["3"]}, True),
        ("b2", {"response": ["五"]}, False),
    ],
)
def test_each_objective_type_is_scored(client, login_as, bank, name, data, correct):
    login_as("employee")
    response = client.post(f"/practice/q/{bank[name].id}", data=data)
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("回答正确" if correct else "回答错误") in feedback


def test_a_blank_answer_is_refused_and_not_recorded(client, login_as, bank):
    login_as("employee")
    response = client.post(f"/practice/q/{bank['a1'].id}", data={}, follow_redirects=True)
    assert "请先作答" in response.get_data(as_text=True)
    assert db.session.scalar(select(PracticeAnswer)) is None


def test_feedback_of_someone_else_is_not_found(app, client, login_as, make_user, bank):
    login_as("employee")
    location = client.post(f"/practice/q/{bank['a1'].id}", data={"response": "B"}).headers["Location"]
    stranger = make_user()
    other = app.test_client()
    other.post("/login", data={"username": stranger.username, "password": TEST_PASSWORD})
    assert other.get(location).status_code == 404


def test_favourites_toggle_and_list(client, login_as, bank):
    login_as("employee")
    a1 = bank["a1"]
    client.post(f"/practice/favourites/{a1.id}", data={"next": f"/practice/q/{a1.id}"})
    page = client.get("/practice/favourites").get_data(as_text=True)
    assert "首问负责制要求" in page and 'data-testid="unfavourite"' in page
    assert 'data-testid="unfavourite"' in client.get(f"/practice/q/{a1.id}").get_data(as_text=True)
    back = client.post(f"/practice/favourites/{a1.id}", data={"next": "https://evil.example/"})
    assert back.headers["Location"].endswith("/practice/favourites")
    assert "还没有收藏的题目" in client.get("/practice/favourites").get_data(as_text=True)


def test_progress_per_category(client, login_as, bank, count_queries):
    user = login_as("employee")
    client.post(f"/practice/q/{bank['a1'].id}", data={"response": "B"})
    client.post(f"/practice/q/{bank['a2'].id}", data={"response": "true"})
    client.post(f"/practice/q/{bank['a2'].id}", data={"response": "false"})
    user = db.session.get(User, user.id)  # loaded before counting
    with count_queries() as counter:
        rows = {row.path: row for row in progress(user, utcnow())}
    assert counter.count == 2, counter.statements  # counts, then the category tree
    a, b = rows["A、投诉处理"], rows["B、服务礼仪"]
    assert (a.total, a.done, a.answers, a.right, a.accuracy) == (2, 2, 3, 2, 66.7)
    assert (b.total, b.done, b.accuracy, b.percent_done) == (2, 0, None, 0.0)
    home = client.get("/practice/").get_data(as_text=True)
    assert "已做 2 / 2 题" in home and "正确率 66.7%" in home and "已做 0 / 2 题" in home


def test_progress_is_per_user(client, login_as, bank, make_user):
    login_as("employee")
    client.post(f"/practice/q/{bank['a1'].id}", data={"response": "B"})
    assert all(row.done == 0 for row in progress(make_user(), utcnow()))


@pytest.mark.parametrize(("role", "status"), [("employee", 200), ("admin", 200),
                                              ("trainer", 403), ("hr", 403)])
def test_practice_is_for_employees(client, login_as, bank, role, status):
    login_as(role)
    assert client.get("/practice/").status_code == status
    assert client.get(f"/practice/q/{bank['a1'].id}").status_code == status


def test_anonymous_is_sent_to_login_and_employees_see_the_nav_entry(client, login_as):
    assert "/login" in client.get("/practice/").headers["Location"]
    login_as("employee")
    assert 'href="/practice/"' in client.get("/").get_data(as_text=True)
