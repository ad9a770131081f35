"""The role-play chat page in a real browser: a bundled scenario played to a good ending and to
a critical failure (with their debriefs), a reload and a dropped connection mid-run, and the
page at a phone's width. The reload tests play the core tests' sample scenario."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cache
from pathlib import Path

import jieba
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.roleplay.factories import GOOD_TYPED, SECRETS, assign, saved_scenario
from training.database import db
from training.manuals.demo import SEED_DIR
from training.manuals.parsing import extract_seed_library
from training.manuals.services import import_document
from training.roleplay.models import RunStep, ScenarioRun
from training.roleplay.services import save

PHONE = {"width": 390, "height": 844}
BUNDLED = Path(__file__).resolve().parents[2] / "training" / "data" / "scenarios"
# The manuals the bank-counter scenario's steps cite (its d5 and f1 cite 范本 第十四条).
CITED = ("银行客户服务管理制度范本", "客户服务用户管理制度")
MODEL_TYPED = ("王先生，实在抱歉让您多跑了一趟。我先记下您的手机号，马上联系电子银行部核查挂卡没生效的"
               "原因，今天下午三点前一定给您回电话。")


@pytest.fixture(scope="module", autouse=True)
def _dictionary_loaded() -> None:
    """Load jieba's dictionary before the clock of any expectation runs: the first typed reply
    a process judges otherwise waits for it (a second or more on a busy machine)."""
    jieba.initialize()


@cache
def seed_documents() -> dict:
    return {document.title: document for document in extract_seed_library(SEED_DIR)}


@pytest.fixture
def bank_case(page, sign_in):
    """The bundled bank-counter case, the manuals it cites, assigned to the employee signed in."""
    user = sign_in("employee")
    for title in CITED:
        import_document(seed_documents()[title], f"{title}.txt")
    path = BUNDLED / "bank-ebanking-card.yaml"
    found = save(path.read_text(encoding="utf-8"), actor=None, key=path.stem).scenario
    db.session.commit()
    assign(found, user)
    return found


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


def play_through(page, picks: list[str], typed: str) -> None:
    """Pick options by their text in order; type `typed` where a typed reply is asked for."""
    for text in picks:
        if text == "TYPE":
            page.locator("[data-reply-text]").fill(typed)
            page.locator("[data-reply-send]").click()
        else:
            pick(page, text)
    expect(page.get_by_test_id("finished")).to_be_visible()


def test_a_bundled_case_played_to_a_good_ending_and_its_debrief(page, bank_case, shot):
    start(page)
    customer_says(page, "到底挂没挂到网银上")
    expect(page.get_by_test_id("mood")).to_have_attribute("data-mood", "35")
    expect(page.get_by_test_id("countdown")).to_contain_text("还剩")
    shot(page, "chat_start")
    for secret in ("挂卡这一步没有生效", "违反保密原则", "一开口就盘问", "正确的处理"):
        assert secret not in page.content()  # nothing that scores a run is shown while it runs
    pick(page, "让您久等了")
    customer_says(page, "我十点还得赶回单位")
    pick(page, "麻烦您把身份证和这张卡给我")
    expect(page.locator("[data-bubble=narration]")).to_contain_text("挂卡”这一步的指令状态为“未生效”")
    pick(page, "不是您记错了")
    page.locator("[data-reply-text]").fill(MODEL_TYPED)
    shot(page, "chat_typing")
    play_through(page, ["TYPE", "现在还不需要您来", "我是上午给您办业务的柜员小陈"], MODEL_TYPED)
    customer_says(page, "你们这次处理得还挺负责的")
    expect(page.get_by_test_id("mood")).to_have_attribute("data-level", "high")
    shot(page, "chat_end")

    page.get_by_test_id("debrief-link").click()
    page.wait_for_url(re.compile(r"/debrief$"))
    expect(page.get_by_test_id("outcome")).to_have_text("问题解决")
    expect(page.get_by_test_id("verdict")).to_have_text("通过")
    expect(page.get_by_test_id("provisional")).to_be_visible()  # the typed reply awaits review
    expect(page.get_by_test_id("critical-mistakes")).to_have_count(0)
    expect(page.get_by_test_id("ending-debrief")).to_contain_text("正确的处理")
    steps = page.get_by_test_id("step")
    expect(steps).to_have_count(6)  # five picks and the typed reply
    first = steps.nth(0)
    expect(first.get_by_test_id("step-points")).to_contain_text("倾听 +5")
    expect(first.get_by_test_id("feedback")).to_contain_text("用自己的话复述客户的问题")
    expect(first.get_by_test_id("model-reply-taken")).to_be_visible()  # picked the model reply
    typed = page.locator("[data-testid=step]", has_text=MODEL_TYPED[:10])
    expect(typed.get_by_test_id("suggested")).to_be_visible()
    expect(typed.get_by_test_id("model-reply")).to_contain_text("今天下午三点前一定给您回电话")
    links = typed.get_by_test_id("article-link")
    expect(links).to_have_count(2)
    expect(links.nth(1)).to_contain_text("《银行客户服务管理制度范本》第十四条")
    href = links.nth(1).get_attribute("href")
    assert href.endswith("/a/a14")
    assert "第十四条" in page.request.get(href).text()  # the permalink opens the article
    shot(page, "debrief_good")


def test_a_critical_mistake_fails_the_run_and_the_debrief_names_its_steps(page, bank_case, shot):
    start(page)
    play_through(page, ["让您久等了", "身份证号码和卡密码", "她是新来的", "TYPE", "现在还不需要您来",
                        "我是上午给您办业务的柜员小陈"], MODEL_TYPED)
    customer_says(page, "你们这次处理得还挺负责的")  # the talk ended well, the run fails anyway
    page.get_by_test_id("debrief-link").click()
    page.wait_for_url(re.compile(r"/debrief$"))
    expect(page.get_by_test_id("verdict")).to_have_text("未通过")
    expect(page.get_by_test_id("outcome")).to_have_text("问题解决")
    mistakes = page.get_by_test_id("critical-mistake")
    expect(mistakes).to_have_count(2)
    expect(mistakes.nth(0)).to_have_attribute("data-step", "4")
    expect(mistakes.nth(0)).to_contain_text("第 4 步")
    expect(mistakes.nth(0)).to_contain_text("索要银行卡密码")
    expect(mistakes.nth(1)).to_have_attribute("data-step", "7")
    expect(mistakes.nth(1)).to_contain_text("指责同事")
    critical_steps = page.locator("[data-testid=step].sc-rp-step-critical")
    expect(critical_steps).to_have_count(2)
    password = page.locator("[data-testid=step][data-step='4']")
    expect(password.get_by_test_id("step-critical")).to_contain_text("违反保密原则")
    expect(password.get_by_test_id("model-reply")).to_contain_text("麻烦您把身份证和这张卡给我")
    shot(page, "debrief_critical")


def test_a_reload_mid_run_continues_where_it_was_with_the_draft(page, scenario, shot):
    start(page)
    pick(page, "让您久等了")
    page.locator("[data-reply-text]").fill("非常抱歉，我今天")
    run = run_id(page)
    # The typed reply was put to the employee a minute ago: the countdown goes on from there.
    last = db.session.scalar(select(RunStep).where(RunStep.run_id == run).order_by(RunStep.step.desc()))
    last.answered_at -= timedelta(seconds=60)
    db.session.commit()
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
    left = int(re.search(r"\d+", page.get_by_test_id("countdown").inner_text()).group())
    assert 20 <= left <= 30  # of the sample's 90 seconds
    for secret in SECRETS:  # the page as rendered mid-run carries no scoring data either
        assert secret not in page.content()
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
