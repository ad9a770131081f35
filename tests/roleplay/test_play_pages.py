"""The employee's role-play pages over HTTP: my scenarios, starting, the chat page's raw HTML,
the debrief, the home task list, and a scenario as a course lesson."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.courses.conftest import make_course, page_lesson  # noqa: F401  (fixture)
from tests.helpers import check_due_turns_overdue
from tests.roleplay.factories import CRITICAL_PATH, GOOD_PATH, SECRETS, assign, play, saved_scenario
from training.courses.models import Lesson
from training.courses.progress import learner_progress, lesson_done
from training.courses.services import LessonValues
from training.database import db, utcnow
from training.people.models import User
from training.roleplay.models import ScenarioRun
from training.roleplay.runs import review, start_or_resume


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def employee(login_as):
    return login_as("employee")


@pytest.fixture
def scenario(employee):
    found = saved_scenario()
    assign(found, employee, due_at=utcnow() + timedelta(days=3))
    return found


def started(client, scenario) -> ScenarioRun:
    response = client.post(f"/roleplay/{scenario.id}/start")
    assert response.status_code == 302
    run_id = int(re.search(r"/roleplay/runs/(\d+)$", response.location).group(1))
    return db.session.get(ScenarioRun, run_id)


def test_my_scenarios_lists_what_is_assigned_with_due_date_and_record(client, employee, scenario):
    page = html(client.get("/roleplay/"))
    assert scenario.title in page and "截止" in page and "已练习 0 次（不限次数）" in page
    run = started(client, scenario)
    play(run, GOOD_PATH)
    page = html(client.get("/roleplay/"))
    assert "已练习 1 次" in page and "最高分" in page and "再练一次" in page
    assert page.count('data-testid="past-run"') == 1
    assert f'href="/roleplay/runs/{run.id}/debrief"' in page


def test_a_scenario_not_assigned_to_me_is_neither_listed_nor_startable(client, login_as):
    other = saved_scenario()
    login_as("employee")
    assert "目前没有分配给您的情景演练" in html(client.get("/roleplay/"))
    assert client.post(f"/roleplay/{other.id}/start").status_code == 404


def test_starting_twice_resumes_the_same_run_and_a_limit_is_kept(client, employee, scenario):
    scenario.max_runs = 1
    db.session.commit()
    first = started(client, scenario)
    assert started(client, scenario).id == first.id
    play(first, GOOD_PATH)
    response = client.post(f"/roleplay/{scenario.id}/start", follow_redirects=True)
    assert "练习次数已用完" in html(response)
    assert db.session.scalar(select(ScenarioRun.id).where(ScenarioRun.id != first.id)) is None


def test_the_chat_page_carries_no_scoring_data_and_the_debrief_waits_for_the_end(
    client, employee, scenario
):
    run = started(client, scenario)
    play(run, GOOD_PATH[:3])  # in the middle: the typed reply is awaited
    page = html(client.get(f"/roleplay/runs/{run.id}"))
    assert "对，我今天就要用。" in page  # the talk so far is on the page
    for secret in SECRETS:
        assert secret not in page
    assert client.get(f"/roleplay/runs/{run.id}/debrief").location.endswith(f"/runs/{run.id}")
    play(run, GOOD_PATH)
    assert client.get(f"/roleplay/runs/{run.id}").location.endswith("/debrief")
    debrief = html(client.get(f"/roleplay/runs/{run.id}/debrief"))
    assert "先致歉并复述需求" in debrief and "成绩为暂定" in debrief


def test_another_employees_run_is_not_found(client, login_as, scenario, make_user):
    someone = make_user()
    assign(scenario, someone)
    theirs = start_or_resume(someone, scenario)
    db.session.commit()
    login_as("employee")
    assert client.get(f"/roleplay/runs/{theirs.id}").status_code == 404
    assert client.get(f"/roleplay/runs/{theirs.id}/debrief").status_code == 404


def test_the_debrief_of_a_critical_failure_names_the_step_and_reason(client, employee, scenario):
    run = play(started(client, scenario), CRITICAL_PATH)
    page = html(client.get(f"/roleplay/runs/{run.id}/debrief"))
    assert "未通过" in page and "客户流失" in page
    (mistake,) = re.findall(r'data-testid="critical-mistake" data-step="(\d+)"', page)
    assert mistake == "2" and "泄露隐私" in page
    assert "成绩为暂定" not in page  # no typed reply: the score is final


def test_the_home_page_lists_a_scenario_until_it_is_passed(client, employee, scenario):
    home = html(client.get("/"))
    assert 'data-testid="task-scenario"' in home and scenario.title in home
    run = started(client, scenario)
    assert "对话进行中" in html(client.get("/"))
    play(run, CRITICAL_PATH)  # failed: still a task
    assert scenario.title in html(client.get("/"))
    run = play(started(client, scenario), GOOD_PATH)
    assert run.passed
    assert 'data-testid="task-scenario"' not in html(client.get("/"))


def test_the_due_date_turns_overdue_on_my_scenarios_home_and_api_until_a_run_passes(
    client, employee, scenario
):
    check_due_turns_overdue(client, scenario.assignments[0], "/roleplay/", "/api/v1/scenarios")

    play(started(client, scenario), CRITICAL_PATH)  # failed: still owed, still overdue
    assert 'data-testid="task-scenario" data-overdue="true"' in html(client.get("/"))
    play(started(client, scenario), GOOD_PATH)
    mine = html(client.get("/roleplay/"))
    assert 'data-overdue="false"' in mine and "已逾期" not in mine


def _done_in_sql(user: User, lesson: Lesson) -> bool:
    return bool(db.session.scalar(
        select(lesson_done(utcnow())).select_from(User).join(Lesson, Lesson.id == lesson.id)
        .where(User.id == user.id)
    ))


def test_a_scenario_lesson_is_done_once_a_run_passes_with_a_final_score(
    client, employee, make_course, make_user  # noqa: F811
):
    scenario = saved_scenario()
    course = make_course([page_lesson(), LessonValues("scenario", scenario_id=scenario.id)],
                         assign=(), users=(employee,))
    lesson = course.lessons[1]
    assert lesson.title == scenario.title and lesson.completion == "run_passed"
    page = html(client.get(f"/courses/{course.id}/lessons/{lesson.id}"))
    assert 'data-testid="scenario-start"' in page  # the course opened the scenario to me

    run = play(started(client, scenario), GOOD_PATH)
    assert run.state == "pending_review"  # passed, but the typed reply awaits a trainer
    (progress,) = learner_progress(employee, utcnow(), course.id)
    assert not progress.lessons[1].done and not _done_in_sql(employee, lesson)
    assert "待培训师复核" in html(client.get(f"/courses/{course.id}/lessons/{lesson.id}"))

    typed = next(step for step in run.steps if step.suggested)
    review(typed, {"resolve": 10, "ownership": 5}, reviewer=make_user(roles=("trainer",)),
           reason="时间承诺明确")
    db.session.commit()
    (progress,) = learner_progress(employee, utcnow(), course.id)
    assert progress.lessons[1].done and progress.lessons[1].done_at == run.ended_at
    assert _done_in_sql(employee, lesson)
    assert 'data-testid="scenario-passed"' in html(
        client.get(f"/courses/{course.id}/lessons/{lesson.id}")
    )


def test_a_scenario_lesson_needs_a_scenario(client, login_as, make_course):  # noqa: F811
    course = make_course()
    login_as("trainer")
    response = client.post(f"/courses/manage/{course.id}/lessons/new",
                           data={"kind": "scenario", "title": ""}, follow_redirects=True)
    assert "请选择一个情景演练" in html(response)
    assert len(course.lessons) == 1
