"""The trainer's role-play pages in a real browser: a typed reply is reviewed from the queue and
the run's score updates; the editor draws the conversation and a node saved from it is kept; the
assignment panel adds a position within a team, and the employee sees the due date turn overdue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.roleplay.factories import GOOD_PATH, play, saved_scenario
from training.database import db, utcnow
from training.people.services import ensure_department
from training.roleplay.models import RunState
from training.roleplay.runs import start_or_resume

pytestmark = pytest.mark.browser
WEAK_TYPED = "不好意思，我问问。"
WEAK_PATH = [{}, {"option_id": "a"}, {}, {"text": WEAK_TYPED}, {"option_id": "b"}]


def test_a_trainer_reviews_a_typed_reply_and_the_run_score_updates(page, sign_in, make_user, shot):
    scenario = saved_scenario()
    employee = make_user(display_name="王小明")
    run = play(start_or_resume(employee, scenario), WEAK_PATH)
    play(start_or_resume(make_user(display_name="李大力"), scenario), GOOD_PATH)
    provisional = run.score
    sign_in("trainer")

    page.goto("/roleplay/manage/")
    page.get_by_test_id("review-queue-link").click()
    step = next(s for s in run.steps if s.suggested)
    card = page.get_by_test_id(f"review-{step.id}")
    expect(card.get_by_test_id("reply-text")).to_have_text(WEAK_TYPED)
    expect(card.get_by_test_id("provisional-score")).to_have_text(f"{provisional:.1f}")
    shot(page, "review-queue")
    card.get_by_label("解决").fill("10")
    card.get_by_label("首问负责").fill("5")
    card.get_by_label("理由").fill("说明了会去问，算作承诺跟进")
    card.get_by_test_id("review-submit").click()

    db.session.expire_all()
    assert run.state == RunState.ENDED and run.score > provisional
    expect(page.locator(".alert-success")).to_contain_text(f"{provisional:.1f} → {run.score:.1f}")
    expect(page.get_by_test_id(f"review-{step.id}")).to_have_count(0)
    expect(page.get_by_test_id("queue-size")).to_have_text("1")  # 李大力's typed reply waits

    page.goto(f"/roleplay/manage/{scenario.id}/insight")
    row = page.get_by_test_id("employee-runs").locator("tr", has_text="王小明")
    expect(row).to_contain_text(f"{run.score:.1f}")
    expect(row).not_to_contain_text("暂定")
    shot(page, "insight")


def test_the_editor_draws_the_graph_and_saves_a_node_chosen_in_it(page, sign_in, shot):
    scenario = saved_scenario()
    sign_in("trainer")
    page.goto(f"/roleplay/manage/{scenario.id}")
    graph = page.get_by_test_id("graph")
    expect(graph.locator("[data-node]")).to_have_count(len(scenario.latest.script.nodes))
    shot(page, "editor")
    graph.locator('[data-node="c2"]').click()
    page.wait_for_url(re.compile(r".*/nodes/c2$"))
    expect(graph.locator('[data-node="c2"].rp-selected')).to_have_count(1)
    page.locator("#text").fill("对，我今天下午就要用。")
    page.get_by_test_id("save-node").click()
    expect(page.locator(".alert-success")).to_contain_text("c2")
    expect(graph.locator('[data-node="c2"]')).to_contain_text("我今天下午就要用")
    shot(page, "editor-node")


def test_the_panel_adds_a_position_within_a_team_and_the_employee_sees_it_overdue(
    page, sign_in, make_user, shot
):
    scenario = saved_scenario()
    team = "测试公司/客服中心/热线一组"
    for path, position in ((team, "组长"), (team, "客服专员"), ("测试公司/客服中心/热线二组", "组长")):
        make_user(department_path=path, position=position)
    ensure_department(team)
    sign_in("trainer")
    page.goto(f"/roleplay/manage/{scenario.id}/assign")
    panel = page.locator("#assign")
    panel.get_by_label(team, exact=True).check()
    panel.get_by_label("组长", exact=True).check()
    panel.get_by_role("button", name="添加分配").click()
    expect(page.locator("[data-testid=reach-total]")).to_contain_text("合计覆盖 1 人")
    expect(page.locator("[data-testid=assignment-position]")).to_have_text("岗位：组长")
    shot(page, "assignment_panel")

    page.context.clear_cookies()
    sign_in("employee", department_path=team, position="组长")
    scenario.assignments[0].due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page.goto("/")
    task = page.get_by_test_id("task-scenario")
    expect(task).to_have_attribute("data-overdue", "true")
    expect(task).to_contain_text("已逾期")
    shot(page, "home_tasks")
    page.goto("/roleplay/")
    expect(page.get_by_test_id("scenario")).to_contain_text("已逾期")
    shot(page, "my_scenarios")
