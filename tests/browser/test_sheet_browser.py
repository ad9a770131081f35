"""The trainer's attempts list and answer sheet in a real browser: open a sheet from the list,
correct an essay's score with a reason, page to the next attempt, at desktop and phone widths."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta

from playwright.sync_api import expect

from tests.exams.conftest import drawn, make_exam, paper, questions  # noqa: F401
from tests.exams.helpers import sit_exam
from training.database import db, utcnow
from training.exams.attempts import record_event
from training.exams.grading import answers_of, grade_answer

ESSAY = "先倾听客户的诉求，表示理解，然后诚恳道歉，最后给出解决方案。"
# Where the screenshots are copied for people to look at (set by whoever asks for them).
SHOTS = os.environ.get("SHOTS_DIR")


def keep(path) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        shutil.copy(path, SHOTS)


def test_attempts_list_and_answer_sheet(page, sign_in, shot, make_exam, make_user):  # noqa: F811
    exam = make_exam(title="客户服务正式考试", pass_mark=60, shuffle_options=True)
    grader = make_user(roles=("trainer",), display_name="李阅卷")
    names = [("张小青", "测试公司/客服中心/一组"), ("王大海", "测试公司/客服中心/一组"),
             ("刘晓", "测试公司/客服中心/二组")]
    attempts = []
    for n, (name, department) in enumerate(names):
        user = make_user(display_name=name, department_path=department)
        attempt = sit_exam(exam, user, {3: False, 4: ["秘密填空答案", "解决"], 5: ESSAY},
                           now=utcnow() - timedelta(minutes=40 - n))
        attempts.append(attempt)
    for attempt, points in zip(attempts, (2, 3, 1), strict=True):
        essay = answers_of(attempt)[attempt.questions[4].question_id]
        grade_answer(essay, points, "要点基本齐全", actor=grader, now=utcnow())
    sitting = sit_exam(exam, make_user(display_name="陈作答", department_path="测试公司/客服中心/二组"),
                       {1: ["A"]}, hand_in=False, now=utcnow() - timedelta(minutes=5))
    record_event(sitting, "focus_lost")
    for name in ("赵未考", "孙未考"):
        make_user(display_name=name, department_path="测试公司/客服中心/二组")
    db.session.commit()

    sign_in("trainer", display_name="王复核")
    page.goto(f"/exams/manage/{exam.id}/attempts")
    expect(page.get_by_test_id("figure-assigned")).to_have_text("6")
    expect(page.get_by_test_id("figure-not-started")).to_have_text("2")
    keep(shot(page, "attempts_list"))
    page.goto(f"/exams/manage/{exam.id}/attempts?show=not_started")
    expect(page.get_by_test_id("absent-table")).to_contain_text("赵未考")
    keep(shot(page, "attempts_not_started"))

    page.goto(f"/exams/manage/{exam.id}/attempts")
    page.get_by_test_id(f"sheet-{attempts[0].id}").click()
    expect(page.get_by_test_id("sheet-q5")).to_contain_text(ESSAY)
    keep(shot(page, "answer_sheet"))
    change = page.get_by_test_id("change-5")
    change.locator("summary").click()
    change.locator("input[name=points]").fill("0.5")
    change.locator("input[name=reason]").fill("漏答解决方案，复核扣分")
    change.get_by_role("button", name="保存更正").click()
    expect(page.get_by_test_id("corrections-5")).to_contain_text("漏答解决方案，复核扣分")
    expect(page.get_by_test_id("sheet-score")).to_contain_text("未通过")
    keep(shot(page, "answer_sheet_corrected"))
    expect(page.get_by_test_id("neighbours")).to_contain_text("第 4 / 4 份")  # the oldest
    page.get_by_test_id("previous").click()
    expect(page.get_by_test_id("neighbours")).to_contain_text("第 3 / 4 份")

    page.set_viewport_size({"width": 390, "height": 844})
    keep(shot(page, "answer_sheet_phone"))
    page.goto(f"/exams/manage/{exam.id}/attempts")
    keep(shot(page, "attempts_list_phone"))
