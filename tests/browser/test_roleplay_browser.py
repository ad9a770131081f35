"""The role-play chat page in a real browser: a good ending, a critical failure, a reload and a
dropped connection mid-run, and the page at a phone's width."""

from __future__ import annotations

import re

import jieba
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.roleplay.factories import GOOD_TYPED, SECRETS, assign, saved_scenario
from training.database import db
from training.roleplay.models import RunStep, ScenarioRun

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def _dictionary_loaded() -> None:
    """Load jieba's dictionary before the clock of any expectation runs: the first typed reply
    a process judges otherwise waits for it (a second or more on a busy machine)."""
    jieba.initialize()


@pytest.fixture
def scenario(page, sign_in):
    """The sample scenario, assigned to the employee signed in."""
    user = sign_in("employee")
    found = saved_scenario()
    assign(found, user)
    return found


def start(page) -> None:
    page.goto("/roleplay/")
    page.get_by_test_id("start").click()
    page.wait_for_url(re.compile(r"/roleplay/runs/\d+$"))
    page.wait_for_selector("[data-roleplay-chat][data-ready]", state="attached")


def pick(page, text: str) -> None:
    page.locator("[data-option]", has_text=text).click()


def customer_says(page, text: str) -> None:
    expect(page.locator("[data-bubble=customer]", has_text=text)).to_be_visible()


def run_id(page) -> int:
    return int(page.locator("[data-roleplay-chat]").get_attribute("data-run-id"))


def steps_of(run: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(RunStep.id)).where(RunStep.run_id == run))


def test_a_good_ending_and_its_debrief(page, scenario, shot):
    start(page)
    customer_says(page, "我排了四十分钟队")
    expect(page.get_by_test_id("mood")).to_have_attribute("data-level", "low")
    shot(page, "chat_start")
    for secret in SECRETS:  # nothing that scores the run is on the page while it is played
        assert secret not in page.content()
    pick(page, "让您久等了")
    customer_says(page, "我今天就要用")
    expect(page.locator("[data-bubble=me]")).to_have_text(["先生，让您久等了，非常抱歉。您是想办理网银盾对吗？"])
    page.locator("[data-reply-text]").fill(GOOD_TYPED)
    page.locator("[data-reply-send]").click()
    pick(page, "我留下您的电话")
    expect(page.get_by_test_id("finished")).to_be_visible()
    customer_says(page, "好吧，那我等你电话")
    shot(page, "chat_end")

    page.get_by_test_id("debrief-link").click()
    page.wait_for_url(re.compile(r"/debrief$"))
    expect(page.get_by_test_id("outcome")).to_have_text("问题解决")
    expect(page.get_by_test_id("verdict")).to_have_text("通过")
    expect(page.get_by_test_id("provisional")).to_be_visible()  # the typed reply awaits review
    expect(page.get_by_test_id("critical-mistakes")).to_have_count(0)
    steps = page.get_by_test_id("step")
    expect(steps).to_have_count(3)  # two picks and the typed reply; customer lines between
    expect(steps.nth(0).get_by_test_id("step-points")).to_contain_text("倾听 +5")
    expect(steps.nth(0).get_by_test_id("feedback")).to_have_text(re.compile("先致歉并复述需求"))
    expect(steps.nth(0).get_by_test_id("model-reply")).to_contain_text("您是想今天办好网银盾")
    expect(steps.nth(1).get_by_test_id("suggested")).to_be_visible()
    expect(steps.nth(1).get_by_test_id("model-reply")).to_contain_text("今天下午五点前给您回电")
    shot(page, "debrief_good")


def test_a_critical_mistake_fails_the_run_and_the_debrief_names_the_step(page, scenario, shot):
    start(page)
    pick(page, "身份证号")
    customer_says(page, "你们这是什么服务")
    pick(page, "您别嚷嚷")
    expect(page.get_by_test_id("finished")).to_be_visible()
    customer_says(page, "我再也不来你们银行了")
    page.get_by_test_id("debrief-link").click()
    page.wait_for_url(re.compile(r"/debrief$"))
    expect(page.get_by_test_id("verdict")).to_have_text("未通过")
    expect(page.get_by_test_id("outcome")).to_have_text("客户流失")
    mistakes = page.get_by_test_id("critical-mistake")
    expect(mistakes).to_have_count(1)
    expect(mistakes).to_have_attribute("data-step", "2")
    expect(mistakes).to_contain_text("第 2 步")
    expect(mistakes).to_contain_text("泄露隐私")
    step = page.locator("[data-testid=step][data-step='2']")
    expect(step.get_by_test_id("step-critical")).to_contain_text("泄露隐私")
    expect(step).to_have_class(re.compile("sc-rp-step-critical"))
    expect(page.locator("[data-testid=step][data-step='4'] [data-testid=step-critical]")).to_have_count(0)
    expect(page.get_by_test_id("provisional")).to_have_count(0)
    shot(page, "debrief_critical")


def test_a_reload_mid_run_continues_where_it_was_with_the_draft(page, scenario, shot):
    start(page)
    pick(page, "让您久等了")
    page.locator("[data-reply-text]").fill("非常抱歉，我今天")
    run = run_id(page)
    page.reload()
    page.wait_for_selector("[data-roleplay-chat][data-ready]", state="attached")
    log = page.get_by_test_id("chat-log")
    expect(log.locator("[data-bubble]")).to_have_text([
        "我排了四十分钟队，你现在告诉我办不了？",
        "先生，让您久等了，非常抱歉。您是想办理网银盾对吗？",
        "对，我今天就要用。",
    ])
    expect(page.locator("[data-reply-text]")).to_have_value("非常抱歉，我今天")
    expect(page.get_by_test_id("mood")).to_have_attribute("data-mood", "40")
    shot(page, "after_reload")
    page.locator("[data-reply-text]").fill(GOOD_TYPED)
    page.locator("[data-reply-send]").click()
    pick(page, "我留下您的电话")
    expect(page.get_by_test_id("finished")).to_be_visible()
    assert steps_of(run) == 5
    page.goto(f"/roleplay/runs/{run}")  # a finished run's chat page is its debrief
    page.wait_for_url(re.compile(r"/debrief$"))


def test_a_double_click_counts_once_and_a_dropped_connection_loses_nothing(page, scenario):
    start(page)
    run = run_id(page)
    page.locator("[data-option]", has_text="让您久等了").dblclick()
    customer_says(page, "我今天就要用")
    expect(page.locator("[data-reply-text]")).to_be_visible()
    assert steps_of(run) == 3  # c1, d1 once, c2

    page.context.set_offline(True)
    page.locator("[data-reply-text]").fill(GOOD_TYPED)
    page.locator("[data-reply-send]").click()
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    expect(page.locator("[data-bubble=me]").last).to_have_text(GOOD_TYPED)
    page.context.set_offline(False)  # the stored reply goes out by itself
    expect(page.get_by_test_id("offline-banner")).to_be_hidden()
    db.session.expire_all()

    # A reply that never reaches the server survives a reload and is sent from there.
    page.route("**/replies", lambda route: route.abort())
    pick(page, "我留下您的电话")
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    page.unroute("**/replies")
    page.reload()
    expect(page.get_by_test_id("finished")).to_be_visible()
    db.session.expire_all()
    rows = dict(db.session.execute(
        select(RunStep.step, RunStep.text).where(RunStep.run_id == run, RunStep.text.is_not(None))
    ).all())
    assert rows == {4: GOOD_TYPED}
    assert db.session.get(ScenarioRun, run).finished


def test_the_chat_page_fits_a_phone(browser, live_server, make_user, shot):
    from tests.conftest import TEST_PASSWORD

    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    user = make_user(roles=("employee",))
    assign(saved_scenario(), user)
    page.goto("/login")
    page.fill("#username", user.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(re.compile(r".*/$"))
    start(page)
    pick(page, "让您久等了")
    expect(page.locator("[data-reply-text]")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    box = page.get_by_test_id("reply-area").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    shot(page, "phone")
    db.session.expire_all()
    assert db.session.scalar(select(ScenarioRun.step).where(ScenarioRun.user_id == user.id)) == 4
    context.close()
