"""Courses in a real browser: an employee takes 新员工入职培训 (demo data) to the end, the
trainer reads the completion report, and a trainer writes a rich-text lesson with an image."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from training.courses.demo import ONBOARDING, ONBOARDING_QUIZ, TEAM_LEAD
from training.courses.models import Course, LessonProgress
from training.database import db, utcnow
from training.demo.loader import load_demo
from training.exams.models import Attempt
from training.people.services import find_user

pytestmark = pytest.mark.browser
READING_SECONDS = 2  # the demo's minute of reading, shortened so the test watches it run out
ALL_SAVED = "答案已全部保存"


@pytest.fixture
def demo(app) -> Course:
    load_demo(TEST_PASSWORD)
    course = db.session.scalar(select(Course).filter_by(title=ONBOARDING))
    for lesson in course.lessons:
        if lesson.completion == "min_time":
            lesson.min_seconds = READING_SECONDS
    db.session.commit()
    return course


def sign_in_as(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(re.compile(r".*/$"))


def expect_progress(page, percent: int) -> None:
    """The course's figure and its bar (drawn by app.js from data-width) both show `percent`."""
    expect(page.get_by_test_id("course-percent")).to_have_text(f"{percent}%")
    bar = page.get_by_test_id("course-progress").locator(".progress-bar")
    expect(bar).to_have_attribute("style", re.compile(rf"width: {percent}%"))


def answer_quiz_correctly(page) -> None:
    """Tick the key of every question, as a person who studied the lessons would."""
    page.wait_for_selector("[data-exam][data-ready]", state="attached")
    attempt = db.session.get(Attempt, int(page.locator("[data-exam]").get_attribute("data-attempt-id")))
    for question in attempt.questions:
        version = question.version
        keys = ["true" if version.answer else "false"] if version.type == "true_false" else version.answer
        for key in keys:
            page.locator(f"[data-testid=question-{question.ordinal}] input[value='{key}']").check()
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED)


def test_an_employee_follows_onboarding_to_completion(page, demo, shot):
    sign_in_as(page, "demo-employee")
    reminder = page.get_by_test_id("task-course").filter(has_text=ONBOARDING)
    expect(reminder).to_contain_text("截止")
    page.get_by_role("link", name="我的课程").click()
    shot(page, "my_courses")
    page.get_by_test_id("course-card").filter(has_text=ONBOARDING).get_by_role("link").click()
    expect_progress(page, 0)
    expect(page.get_by_test_id("lesson-2")).to_contain_text("完成前面的课时后解锁")
    shot(page, "course_start")

    page.get_by_test_id("continue").click()  # the welcome page: done by opening it
    expect(page.get_by_test_id("lesson-done")).to_be_visible()
    expect_progress(page, 16)
    for percent in (33, 50, 66):  # three sections read for the minimum time
        page.get_by_test_id("next-lesson").click()
        finish = page.get_by_test_id("complete-reading")
        expect(finish).to_be_disabled()
        if percent == 33:
            expect(page.get_by_test_id("manual-section")).to_contain_text("客户至上")
            shot(page, "reading_countdown")
        expect(finish).to_be_enabled(timeout=READING_SECONDS * 1000 + 5000)
        finish.click()
        expect_progress(page, percent)
    page.get_by_test_id("next-lesson").click()  # complaint basics: done by opening
    expect_progress(page, 83)

    page.get_by_test_id("next-lesson").click()
    expect(page.get_by_test_id("quiz-lesson")).to_contain_text("及格线")
    shot(page, "quiz_lesson")
    page.get_by_test_id("quiz-start").click()
    page.get_by_test_id("start").click()
    answer_quiz_correctly(page)
    page.get_by_test_id("submit-open").click()
    page.get_by_test_id("submit-confirm").click()
    page.wait_for_url(re.compile(r"/result$"))
    expect(page.get_by_test_id("score")).to_contain_text("通过")

    page.locator(".breadcrumb a", has_text=ONBOARDING_QUIZ).click()
    page.get_by_test_id("back-to-course").click()
    expect(page.get_by_test_id("course-status")).to_have_text(re.compile("已完成"))
    expect_progress(page, 100)
    expect(page.locator("[data-testid=lessons] [data-status=done]")).to_have_count(6)
    shot(page, "course_done")
    page.goto("/")
    expect(page.get_by_test_id("task-course").filter(has_text=ONBOARDING)).to_have_count(0)


def test_the_trainer_sees_completion_by_department_and_who_is_late(page, demo, shot):
    course = db.session.scalar(select(Course).filter_by(title=TEAM_LEAD))
    now = utcnow()
    course.assignments[0].due_at = now - timedelta(days=1)
    for number in range(1001, 1025):
        user = find_user(f"E{number}")
        lessons = course.lessons if number <= 1012 else course.lessons[:2]
        db.session.add_all(LessonProgress(lesson_id=lesson.id, user_id=user.id, opened_at=now,
                                          completed_at=now) for lesson in lessons)
    db.session.commit()
    sign_in_as(page, "demo-trainer")
    page.get_by_role("link", name="课程管理").click()
    page.get_by_test_id("course-list").locator("tr", has_text=TEAM_LEAD).get_by_role(
        "link", name="完成情况"
    ).click()
    page.wait_for_url("**/reports/learning?course=*")  # the course report lives in 学习情况
    by_department = page.get_by_test_id("report-table-0")
    expect(by_department.locator("tr", has_text="合计")).to_contain_text("37")  # 36 + demo-employee
    learners = page.get_by_test_id("report-table-1")
    expect(learners.locator("tbody tr")).to_have_count(37)
    expect(learners.locator("tbody tr", has_text="是")).to_have_count(25)  # overdue, listed first
    expect(learners.locator("tbody tr").first).to_contain_text("是")
    shot(page, "report")


def test_a_trainer_writes_a_page_with_an_uploaded_image_and_previews_it(
    page, demo, shot, tmp_path
):
    picture = tmp_path / "流程图.png"
    buffer = io.BytesIO()
    Image.new("RGB", (240, 120), (15, 118, 110)).save(buffer, "PNG")
    picture.write_bytes(buffer.getvalue())
    sign_in_as(page, "demo-trainer")
    page.goto(f"/courses/manage/{demo.id}")
    page.get_by_test_id("add-page").click()
    expect(page.locator("#section")).to_be_hidden()
    page.fill("#title", "服务礼仪图解")
    page.fill("#body", "## 服务礼仪\n\n微笑、问候、倾听。\n")
    page.get_by_test_id("image-file").set_input_files(str(picture))
    page.get_by_test_id("image-upload").click()
    expect(page.locator("#body")).to_have_value(re.compile(r"!\[流程图\]\(/courses/images/[0-9a-f]{64}\)"))
    page.get_by_test_id("preview-lesson").click()
    preview = page.get_by_test_id("preview")
    expect(preview.get_by_test_id("rich-text").locator("h2")).to_have_text("服务礼仪")
    expect(preview.locator("img")).to_have_js_property("naturalWidth", 240)
    shot(page, "editor_preview")
    page.get_by_test_id("save-lesson").click()
    expect(page.get_by_test_id("lesson-list")).to_contain_text("服务礼仪图解")
    shot(page, "course_editor")
