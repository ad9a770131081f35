"""The exam page in a real browser: a whole exam, a network cut, a reload, and time running out."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.exams.conftest import drawn, make_exam, objective_only, paper, questions  # noqa: F401
from training.database import db, utcnow
from training.exams.attempts import record_event, save_answer, start_or_resume, submit
from training.exams.models import Answer, Attempt

ALL_SAVED = "答案已全部保存"


@pytest.fixture
def mock_exam(make_exam, objective_only):  # noqa: F811
    return make_exam(title="浏览器模拟考试", kind="mock", attempts_allowed=None,
                     review_when="immediately", review_answers=True, review_explanations=True)


def answer_all(page) -> None:
    """Answer the four objective questions correctly, as a person would."""
    page.locator("[data-testid=question-1] label", has_text="负责到底").click()
    page.locator("[data-testid=question-2] label", has_text="倾听").click()
    page.locator("[data-testid=question-2] label", has_text="道歉").click()
    page.locator("[data-testid=question-3] label", has_text="错").click()
    blanks = page.locator("[data-testid=question-4] input")
    blanks.nth(0).fill("秘密填空答案")
    blanks.nth(1).fill("解决")


def saved_answers(attempt_id: int) -> dict[int, object]:
    db.session.expire_all()
    rows = db.session.scalars(select(Answer).filter_by(attempt_id=attempt_id))
    return {row.attempt_question.ordinal: row.response for row in rows}


def top_shot(shot, page, name: str) -> None:
    """Screenshot from the top, so the sticky exam bar is drawn where a person sees it."""
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)


def ready(page) -> None:
    """Wait until the exam script has restored answers and wired up autosave."""
    page.wait_for_selector("[data-exam][data-ready]", state="attached")


def open_attempt_id(page) -> int:
    return int(page.locator("[data-exam]").get_attribute("data-attempt-id"))


def test_take_a_short_exam_end_to_end(page, sign_in, shot, mock_exam):
    sign_in("employee")
    page.goto("/exams/")
    shot(page, "my_exams")
    page.get_by_role("link", name="进入考试").click()
    shot(page, "intro")
    page.get_by_test_id("start").click()
    ready(page)
    expect(page.locator("[data-countdown-text]")).to_have_text(re.compile(r"^(29|30):\d\d$"))
    answer_all(page)
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED)
    expect(page.locator("[data-nav].sc-answered")).to_have_count(4)
    page.locator("[data-testid=question-2] [data-flag]").click()
    expect(page.locator("[data-nav].sc-flagged")).to_have_count(1)
    top_shot(shot, page, "answered")
    page.get_by_test_id("submit-open").click()
    dialog = page.locator("#submit-dialog")
    expect(dialog.locator("[data-unanswered-none]")).to_be_visible()
    expect(dialog.locator("[data-flagged-list]")).to_have_text("2")
    shot(page, "submit_dialog")
    page.get_by_test_id("submit-confirm").click()
    page.wait_for_url(re.compile(r"/result$"))
    expect(page.get_by_test_id("score")).to_contain_text("7")
    expect(page.get_by_test_id("score")).to_contain_text("通过")
    expect(page.get_by_test_id("review-1")).to_contain_text("解析秘密")
    shot(page, "result")


def test_network_cut_mid_exam_loses_nothing(page, sign_in, shot, mock_exam):
    sign_in("employee")
    page.goto(f"/exams/{mock_exam.id}")
    page.get_by_test_id("start").click()
    ready(page)
    page.locator("[data-testid=question-1] label", has_text="负责到底").click()
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED)
    attempt_id = open_attempt_id(page)

    page.context.set_offline(True)
    page.locator("[data-testid=question-3] label", has_text="错").click()
    page.locator("[data-testid=question-4] input").nth(0).fill("秘密填空答案")
    banner = page.get_by_test_id("offline-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("网络连接已断开")
    expect(banner).to_contain_text("本机暂存 2 题答案待提交")
    top_shot(shot, page, "offline")
    assert saved_answers(attempt_id) == {1: ["B"]}

    page.context.set_offline(False)
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED, timeout=20_000)
    expect(banner).to_be_hidden()
    top_shot(shot, page, "reconnected")
    assert saved_answers(attempt_id) == {1: ["B"], 3: False, 4: ["秘密填空答案", ""]}


def test_a_reload_that_races_a_save_still_shows_the_saved_answer(page, sign_in, mock_exam):
    """The server can render the page just before a save commits, and the browser receive the
    save's acknowledgement just before that page arrives: the page is then older than what the
    browser knows is saved, and must not show the question unanswered."""
    sign_in("employee")
    page.goto(f"/exams/{mock_exam.id}")
    page.get_by_test_id("start").click()
    ready(page)
    attempt_id, url = open_attempt_id(page), page.url
    held: list = []
    page.route("**/answers/**", lambda route: held.append(route))  # the save of 错 waits
    page.locator("[data-testid=question-3] label", has_text="错").click()
    while not held:
        page.wait_for_timeout(50)
    stale = page.request.get(url).text()  # rendered while the save is still on its way
    held[0].continue_()
    page.unroute("**/answers/**")
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED)

    saves: list[str] = []
    page.on("request", lambda request: saves.append(request.url) if request.method == "PUT" else None)
    page.route(url, lambda route: route.fulfill(status=200, body=stale,
                                                content_type="text/html; charset=utf-8"))
    page.reload()
    ready(page)
    expect(page.locator("[data-testid=question-3] input[value=false]")).to_be_checked()
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED)
    assert saves == []  # known to be saved: nothing is sent again
    assert saved_answers(attempt_id)[3] is False


def test_reload_restores_answers_time_and_unsent_changes(page, sign_in, shot, mock_exam):
    sign_in("employee")
    page.goto(f"/exams/{mock_exam.id}")
    page.get_by_test_id("start").click()
    ready(page)
    page.locator("[data-testid=question-1] label", has_text="负责到底").click()
    page.locator("[data-testid=question-4] input").nth(1).fill("解决")
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED)
    attempt_id = open_attempt_id(page)

    # the next answer never reaches the server before the page is reloaded
    page.route("**/answers/**", lambda route: route.abort())
    page.locator("[data-testid=question-3] label", has_text="错").click()
    page.wait_for_function(
        "() => Object.keys(JSON.parse(localStorage.getItem("
        f"'servicecoach.exam.{attempt_id}')).pending).length > 0"
    )
    page.unroute("**/answers/**")
    page.reload()
    ready(page)
    expect(page.locator("[data-testid=question-1] input[value=B]")).to_be_checked()
    expect(page.locator("[data-testid=question-4] input").nth(1)).to_have_value("解决")
    expect(page.locator("[data-testid=question-3] input[value=false]")).to_be_checked()
    expect(page.locator("[data-countdown-text]")).to_have_text(re.compile(r"^(29|30):\d\d$"))
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED)
    top_shot(shot, page, "after_reload")
    assert saved_answers(attempt_id) == {1: ["B"], 3: False, 4: ["", "解决"]}


def test_time_running_out_submits_automatically(page, sign_in, shot, make_exam, objective_only):  # noqa: F811
    exam = make_exam(kind="mock", time_limit_minutes=30, review_when="immediately")
    user = sign_in("employee")
    # started 29 min 52 s ago: about eight seconds are left when the page opens
    attempt = start_or_resume(user, exam.id, now=utcnow() - timedelta(minutes=29, seconds=52))
    db.session.commit()

    def slow_submit(route) -> None:  # keeps the "time is up" notice on screen to be seen
        time.sleep(1.5)
        route.continue_()

    page.route("**/submit", slow_submit)
    page.goto(f"/exams/attempts/{attempt.id}")
    ready(page)
    page.locator("[data-testid=question-1] label", has_text="负责到底").click()
    expect(page.locator("[data-countdown-text]")).to_have_text("00:00", timeout=15_000)
    expect(page.locator("[data-timeup]")).to_be_visible()
    top_shot(shot, page, "time_up")
    page.wait_for_url(re.compile(r"/result$"), timeout=20_000)
    shot(page, "auto_submitted")
    db.session.expire_all()
    finished = db.session.get(Attempt, attempt.id)
    assert finished.finish_reason == "submitted"  # by the page, within the grace seconds
    assert finished.score == 2  # the answer given in the last seconds counted


def test_trainer_pages_and_keyboard_grading(page, sign_in, shot, make_exam, make_user):  # noqa: F811
    exam = make_exam(title="阅卷演示考试")
    for name in ("王小明", "李晓梅"):
        attempt = start_or_resume(make_user(display_name=name), exam.id)
        save_answer(attempt, attempt.questions[4].question_id, f"{name}：先倾听客户，再道歉。", 1)
        record_event(attempt, "focus_lost")
        record_event(attempt, "focus_back")
        submit(attempt)
    db.session.commit()
    sign_in("trainer")
    page.goto("/exams/manage/")
    expect(page.get_by_test_id("exam-table")).to_contain_text("阅卷演示考试")
    shot(page, "manage")
    page.goto(f"/exams/manage/{exam.id}")
    shot(page, "edit")
    page.goto(f"/exams/manage/{exam.id}/attempts")
    expect(page.get_by_test_id("attempt-table")).to_contain_text("王小明")
    page.locator("details summary").first.click()
    shot(page, "attempts")
    page.goto(f"/exams/manage/{exam.id}/grading")
    items = page.locator("[data-grading-item]")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_class(re.compile("sc-grading-current"))
    shot(page, "grading")
    page.keyboard.press("j")
    expect(items.nth(1)).to_have_class(re.compile("sc-grading-current"))
    page.keyboard.press("k")
    expect(items.nth(0)).to_have_class(re.compile("sc-grading-current"))
    page.keyboard.press("j")
    page.keyboard.type("2.5")  # replaces the selected suggestion
    page.keyboard.press("Enter")
    expect(page.locator("[data-grading-item]")).to_have_count(1)
    db.session.expire_all()
    graded = db.session.scalars(select(Answer).where(Answer.graded_by_id.is_not(None))).one()
    assert graded.points_awarded == 2.5 and "李晓梅" in graded.response

    # the other essay names both scoring points (倾听 2 + 道歉 1): Enter confirms the suggestion
    suggested = page.locator("[data-grading-item] input[name=points]")
    expect(suggested).to_have_value("3")
    expect(suggested).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("没有待阅的答卷")).to_be_visible()
    db.session.expire_all()
    [accepted] = [a for a in db.session.scalars(select(Answer)) if "王小明" in (a.response or "")]
    assert accepted.points_awarded == 3 and accepted.graded_by_id is not None


def test_history_and_score_trend(page, sign_in, shot, make_exam, objective_only):  # noqa: F811
    mock = make_exam(title="服务礼仪模拟考试", kind="mock", attempts_allowed=None,
                     review_when="immediately", pass_mark=60)
    formal = make_exam(title="季度正式考试", review_when="after_close")
    user = sign_in("employee")
    for exam, answers in ((mock, {1: ["A"]}), (mock, {1: ["B"], 3: False}),
                          (mock, {1: ["B"], 2: ["A", "C"], 3: False}), (formal, {1: ["B"]})):
        attempt = start_or_resume(user, exam.id)
        for ordinal, raw in answers.items():
            save_answer(attempt, attempt.questions[ordinal - 1].question_id, raw, 1)
        submit(attempt)
    make_exam(title="第一课随堂测验", kind="quiz", attempts_allowed=None)
    db.session.commit()
    page.goto("/exams/")
    expect(page.get_by_test_id("group-quiz")).to_contain_text("第一课随堂测验")
    shot(page, "my_exams")
    page.get_by_test_id("history-link").click()
    rows = page.get_by_test_id("history-row")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text="季度正式考试")).to_contain_text("成绩将在考试结束后公布")
    expect(rows.nth(1)).to_contain_text("71.43%")  # newest first: the formal exam, then this
    chart = page.get_by_test_id("trend-chart")
    expect(chart).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=trend-chart]').naturalWidth > 0"
    )
    shot(page, "history")


def test_regrade_after_a_key_fix(page, sign_in, shot, make_exam, make_user, questions,  # noqa: F811
                                 objective_only):  # noqa: F811
    from training.bank.services import plain_of, update_question

    exam = make_exam(title="重评演示考试", pass_mark=40, attempts_allowed=None)
    for name, choice in (("王小明", "C"), ("李晓梅", "B")):
        attempt = start_or_resume(make_user(display_name=name), exam.id)
        save_answer(attempt, attempt.questions[0].question_id, [choice], 1)
        save_answer(attempt, attempt.questions[2].question_id, False, 1)
        submit(attempt)
    plain = plain_of(questions[0])
    plain.answer = ["C"]  # the key was wrong
    update_question(questions[0], plain)
    db.session.commit()
    sign_in("trainer")
    page.goto(f"/exams/manage/{exam.id}")
    page.get_by_test_id("regrade").click()
    rows = page.get_by_test_id("regrade-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="王小明")).to_contain_text("+2")
    expect(rows.filter(has_text="李晓梅")).to_contain_text("-2")
    expect(page.get_by_test_id("key-fixes")).to_contain_text("v1 → v2")
    shot(page, "dry_run")
    page.get_by_test_id("regrade-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("2 份答卷的成绩已更新")
    shot(page, "applied")
    db.session.expire_all()
    scores = {a.user.display_name: (a.score, a.passed) for a in db.session.scalars(select(Attempt))}
    assert scores == {"王小明": (3, True), "李晓梅": (1, False)}
