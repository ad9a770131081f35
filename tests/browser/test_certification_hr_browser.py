"""HR's certification pages in a real browser, each saved under /work/wt/shots/cert-pages for a
person to look at: the levels, a rule typed with a mistake (its line shown) then previewed and
saved, the status board with its chart, a drill-down, a person's history with a manual award
confirmed, and a team lead's view of their team."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.certification.page_factories import add_event, set_status, stored_level
from tests.conftest import TEST_PASSWORD
from training.certification import rules
from training.certification.models import EventKind
from training.database import utcnow
from training.timezones import local_day

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots/cert-pages")
TEAMS = ("示范公司/客服中心/一组", "示范公司/客服中心/二组", "示范公司/华南客服中心/三组")


@pytest.fixture
def floor(app, make_user):
    """Three levels and a dozen people in three teams, in every state."""
    today = local_day(utcnow())
    junior = stored_level("junior", "初级客服专员", sort_order=1,
                          description="入职必修完成、模拟考试达到 70 分。")
    middle = stored_level("middle", "中级客服专员", sort_order=2,
                          rule=rules.AllOf((rules.MinimumTenure(6), rules.LevelActive(junior.id))))
    lead = stored_level("lead", "组长晋级", sort_order=3, validity_months=24)
    plan = [("expiring", 12), ("certified", 200), ("certified", 50), ("expired", -5),
            ("in_progress", None), ("not_started", None)]
    people = []
    for n in range(12):
        user = make_user(display_name=f"员工{n + 1:02d}", department_path=TEAMS[n % 3],
                         position="组长" if n == 0 else "客服专员")
        people.append(user)
        status, days = plan[n % len(plan)]
        set_status(user, junior, status, None if days is None else today + timedelta(days=days),
                   met=1 if status == "in_progress" else 0, total=2)
        set_status(user, middle, "in_progress" if n % 2 else "not_started", met=n % 2, total=2)
        set_status(user, lead, "not_started", total=4)
    first = people[3]
    add_event(first, junior, EventKind.AWARDED, date(2025, 1, 8))
    add_event(first, junior, EventKind.EXPIRED, today - timedelta(days=5))
    return junior, people


def _save(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(re.compile(r".*/$|.*/password$"))


def test_hr_pages(page, sign_in, floor):
    junior, people = floor
    sign_in("hr", department_path="示范公司/人事部")
    page.goto("/certification/levels")
    expect(page.get_by_test_id("level-row")).to_have_count(3)
    _save(page, "levels")

    page.get_by_role("link", name="中级客服专员").click()
    expect(page.get_by_test_id("rule-tree")).to_contain_text("持有有效的「初级客服专员」认证")
    _save(page, "level_edit")
    page.fill("#rule", "all_of:\n  - tenure: {months: 6}\n  - exams: {title: 无}\n")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("rule-problems")).to_contain_text("第 3 行")
    _save(page, "level_rule_problem")
    page.fill("#rule", "all_of:\n  - tenure: {months: 3}\n  - level: {code: junior}\n")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("preview")).to_be_visible()
    _save(page, "level_preview")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("version")).to_have_count(2)
    _save(page, "level_saved")

    page.goto("/certification/levels/new")
    _save(page, "level_new")

    page.goto("/certification/board")
    expect(page.get_by_test_id("board-total").locator("[data-level=junior][data-bucket=certified]")
           ).to_have_text("6")
    page.wait_for_function("document.querySelector('[data-testid=chart]').naturalWidth > 0")
    _save(page, "board")
    page.get_by_test_id("board-total").locator("[data-level=junior][data-bucket=expiring_60]"
                                               ).get_by_role("link").click()
    expect(page.get_by_test_id("person")).to_have_count(4)
    _save(page, "board_people")

    page.goto(f"/certification/people/{people[3].id}")
    expect(page.get_by_test_id("event")).to_have_count(2)
    form = page.get_by_test_id("award-form")
    form.locator("select").select_option(label="组长晋级")
    form.locator("textarea").fill("外部机构认证，经人事审核等效")
    form.get_by_role("button").click()
    expect(page.locator("[data-testid=event][data-kind=manual]")).to_contain_text("外部机构认证")
    revoke = page.get_by_test_id("revoke-form")
    revoke.locator("select").select_option(label="组长晋级")
    revoke.locator("textarea").fill("误授予")
    page.once("dialog", lambda dialog: dialog.dismiss())  # the confirm dialog: cancelled
    revoke.get_by_role("button").click()
    expect(page.locator("[data-testid=event][data-kind=revoked]")).to_have_count(0)
    _save(page, "person")


def test_team_lead_view_and_home_task(page, floor):
    _junior, people = floor
    _sign_in(page, people[0].username)
    expect(page.get_by_test_id("task-certifications")).to_be_visible()
    _save(page, "home_task")
    page.goto("/certification/mine")
    _save(page, "mine_lead")
    page.get_by_test_id("team-link").click()
    expect(page.get_by_test_id("reminder")).to_have_count(4)  # 一组: two expiring, two expired
    _save(page, "team")
