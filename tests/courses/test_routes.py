"""The course pages over HTTP: a learner's way through a course, who may see what, the trainer's
editor and assignment, the report and its Excel export, images, and the exam page's way back."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from tests.courses.conftest import page_lesson, sit
from tests.courses.test_content import image_bytes
from tests.manuals.samples import EDITION_2, parsed
from training.courses.models import Course, CourseAssignment, CourseImage, Lesson
from training.courses.progress import open_lesson, progress_for
from training.courses.services import LessonValues, assign_course
from training.database import db, utcnow
from training.exams.attempts import start_or_resume
from training.manuals.services import import_manuals
from training.people.audience import targets
from training.people.services import ensure_department


def html(response) -> str:
    assert response.status_code == 200, (response.status_code, response.headers.get("Location"))
    return response.get_data(as_text=True)


def percent(page: str) -> int:
    return int(re.search(r'data-testid="course-progress" data-percent="(\d+)"', page)[1])


def test_a_learner_follows_a_course_to_completion(client, login_as, make_course, quiz):
    user = login_as("employee")
    course = make_course([
        page_lesson("欢迎"), page_lesson("制度精读", "min_time", 60),
        LessonValues("quiz", exam_id=quiz.id),
    ], sequential=True)
    first, reading, test = course.lessons
    listing = html(client.get("/courses/"))
    assert course.title in listing and "0 / 3 课时" in listing
    assert percent(html(client.get(f"/courses/{course.id}"))) == 0

    with time_machine.travel(utcnow(), tick=False) as clock:
        page = html(client.get(f"/courses/{course.id}/lessons/{first.id}"))
        assert "欢迎学习" in page and percent(page) == 33 and 'data-testid="lesson-done"' in page
        page = html(client.get(f"/courses/{course.id}/lessons/{reading.id}"))
        assert 'data-seconds-left="60"' in page
        assert re.search(r'data-testid="complete-reading" disabled', page)
        clock.shift(timedelta(seconds=20))
        early = client.post(f"/courses/{course.id}/lessons/{reading.id}/complete",
                            follow_redirects=True)
        assert "请再阅读 40 秒" in html(early) and percent(html(early)) == 33
        clock.shift(timedelta(seconds=40))
        done = html(client.post(f"/courses/{course.id}/lessons/{reading.id}/complete",
                                follow_redirects=True))
        assert "本课时已完成" in done and percent(done) == 66

        # (still on the travelled clock: the session cookie was signed on it)
        quiz_page = html(client.get(f"/courses/{course.id}/lessons/{test.id}"))
        assert f'href="/exams/{quiz.id}"' in quiz_page and "开始测验" in quiz_page
        sit(user, quiz)
        finished = html(client.get(f"/courses/{course.id}"))
        assert percent(finished) == 100
        assert 'data-testid="course-status"><i class="bi bi-check' in finished
        assert "已完成" in html(client.get("/courses/"))


def test_a_locked_lesson_sends_the_learner_back_to_the_course(client, login_as, make_course):
    login_as("employee")
    course = make_course([page_lesson("一"), page_lesson("二")], sequential=True)
    response = client.get(f"/courses/{course.id}/lessons/{course.lessons[1].id}",
                          follow_redirects=True)
    assert "请先完成前面的课时" in html(response)
    assert "完成前面的课时后解锁" in html(response)


def test_courses_not_assigned_to_the_learner_are_not_found(client, login_as, make_course):
    mine = make_course(title="我的课程")
    other = make_course(title="别人的课程", assign=("其他公司",))
    login_as("employee")
    assert client.get(f"/courses/{other.id}").status_code == 404
    assert client.get(f"/courses/{other.id}/lessons/{other.lessons[0].id}").status_code == 404
    assert client.get(f"/courses/{mine.id}/lessons/{other.lessons[0].id}").status_code == 404
    assert client.post(f"/courses/{other.id}/lessons/{other.lessons[0].id}/complete").status_code == 404
    assert "别人的课程" not in html(client.get("/courses/"))


def test_employees_cannot_build_courses_or_see_reports(client, login_as, make_course):
    course = make_course()
    login_as("employee")
    for url in ("/courses/manage/", "/courses/manage/new", f"/courses/manage/{course.id}",
                f"/courses/manage/{course.id}/report", f"/courses/manage/{course.id}/report.xlsx",
                f"/courses/manage/{course.id}/lessons/new"):
        assert client.get(url).status_code == 403, url
    for url in (f"/courses/manage/{course.id}/assign", "/courses/manage/images",
                f"/courses/manage/{course.id}/lessons/{course.lessons[0].id}/delete"):
        assert client.post(url).status_code == 403, url
    assert len(course.lessons) == 1


def test_a_trainer_builds_a_course_of_three_kinds_and_assigns_it(
    client, login_as, make_user, manual, quiz
):
    login_as("trainer")
    team = ensure_department("测试公司/客服中心/一组")
    named = make_user(username="zhangsan", department_path="其他公司/某组")
    created = client.post("/courses/manage/new", data={"title": "投诉处理专项", "description": "简介",
                                                        "sequential": "y"})
    course = db.session.scalar(select(Course).filter_by(title="投诉处理专项"))
    assert created.headers["Location"].endswith(f"/courses/manage/{course.id}")
    assert "制度章节" in html(client.get(f"/courses/manage/{course.id}/lessons/new?kind=manual"))
    base = f"/courses/manage/{course.id}/lessons/new"
    client.post(base, data={"kind": "manual", "section": f"{manual.id}:ch2", "completion": "min_time",
                            "min_seconds": "90"})
    client.post(base, data={"kind": "page", "title": "四步法", "completion": "opened",
                            "body": "## 四步\n<script>alert(1)</script>倾听"})
    client.post(base, data={"kind": "quiz", "exam_id": str(quiz.id)})
    db.session.expire_all()
    assert [(x.kind, x.title, x.min_seconds) for x in course.lessons] == [
        ("manual", "第二章 投诉处理", 90), ("page", "四步法", 0), ("quiz", "服务规范课程测验", 0)
    ]
    preview = html(client.get(f"/courses/manage/{course.id}/lessons/{course.lessons[1].id}/preview"))
    assert "<h2>四步</h2>" in preview and "<script>alert" not in preview

    client.post(f"/courses/manage/{course.id}/lessons/{course.lessons[2].id}/move",
                data={"direction": "up"})
    db.session.expire_all()
    assert [x.kind for x in course.lessons] == ["manual", "quiz", "page"]

    due = (utcnow() + timedelta(days=10)).date().isoformat()
    unknown = client.post(f"/courses/manage/{course.id}/assign", follow_redirects=True,
                          data={"departments": [str(team.id)], "users": "nobody", "due_date": due})
    assert "找不到这些学员：nobody" in html(unknown)
    client.post(f"/courses/manage/{course.id}/assign",
                data={"departments": [str(team.id)], "users": "zhangsan", "due_date": due})
    db.session.expire_all()
    assert {(a.department_id, a.user_id) for a in course.assignments} == {
        (team.id, None), (None, named.id)
    }
    assert all(a.due_at.date().isoformat() == due for a in course.assignments)


def test_the_editor_previews_without_saving(client, login_as, make_course, manual):
    login_as("trainer")
    course = make_course([])
    page = html(client.post(f"/courses/manage/{course.id}/lessons/new", data={
        "kind": "page", "title": "草稿", "body": "**要点**<img src=x onerror=alert(1)>",
        "completion": "opened", "preview": "1",
    }))
    assert "<strong>要点</strong>" in page and "onerror" not in page.split('data-testid="preview"')[1]
    section = html(client.post(f"/courses/manage/{course.id}/lessons/new", data={
        "kind": "manual", "section": f"{manual.id}:a3", "completion": "opened", "preview": "1",
    }))
    assert "24小时" in section.split('data-testid="preview"')[1]
    assert db.session.scalar(select(Lesson.id)) is None


def test_a_refused_lesson_keeps_the_form_with_the_reason(client, login_as, make_course):
    login_as("trainer")
    course = make_course([])
    page = html(client.post(f"/courses/manage/{course.id}/lessons/new", data={
        "kind": "page", "title": "阅读", "body": "正文", "completion": "min_time",
    }))
    assert "最短阅读时间应在" in page and "正文</textarea>" in page


def test_the_report_counts_by_department_and_lists_who_is_late(
    client, login_as, make_user, make_course
):
    done = make_user(display_name="完成者", department_path="测试公司/客服中心/一组")
    late = make_user(display_name="=HYPERLINK(\"x\")", department_path="测试公司/客服中心/二组")
    make_user(display_name="未开始者", department_path="测试公司/客服中心/二组")
    now = utcnow()
    course = make_course([page_lesson("一"), page_lesson("二")], now=now - timedelta(days=10),
                         due_in=timedelta(days=3))
    for lesson_index in (0, 1):
        open_lesson(done, progress_for(done, course.id, now).lessons[lesson_index], now)
    open_lesson(late, progress_for(late, course.id, now).lessons[0], now)
    db.session.commit()
    login_as("trainer", department_path="测试公司/培训部")
    moved = client.get(f"/courses/manage/{course.id}/report")
    assert moved.headers["Location"].endswith(f"/reports/learning?course={course.id}")
    page = html(client.get(moved.headers["Location"]))
    assert "测试公司/客服中心/一组" in page and "测试公司/客服中心/二组" in page
    learners = page.split("学员明细")[1]
    assert learners.index("=HYPERLINK") < learners.index("完成者")  # the late first
    assert "未开始者" in learners

    export = client.get(f"/courses/manage/{course.id}/report.xlsx")
    assert export.status_code == 200
    assert "attachment" in export.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(export.data))
    by_department = [row for row in book["按部门"].iter_rows(values_only=True)]
    assert by_department[0] == ("部门", "应学人数", "已完成", "学习中", "未开始", "已逾期", "完成率")
    assert by_department[1:] == [
        ("测试公司/客服中心/一组", 1, 1, 0, 0, 0, 1),
        ("测试公司/客服中心/二组", 2, 0, 1, 1, 2, 0),
        ("合计", 3, 1, 1, 1, 2, pytest.approx(1 / 3)),
    ]
    rate = book["按部门"]["G4"]  # 完成率: a number Excel can sum and sort, shown as a percentage
    assert (rate.data_type, rate.number_format) == ("n", "0.0%")
    assert book["按部门"].freeze_panes == "A2"
    people = {row[1]: row for row in book["人员明细"].iter_rows(min_row=2, values_only=True)}
    assert people["完成者"][3:5] == ("已完成", 1)
    guarded = "'=HYPERLINK(\"x\")"  # a name is never run as a formula, in any spreadsheet
    assert people[guarded][3:5] == ("学习中", 0.5)
    assert isinstance(people[guarded][5], datetime)  # the due date is a date, not text
    assert people[guarded][7] == "是"
    assert next(c for c in book["人员明细"]["B"] if c.value == guarded).data_type == "s"


def test_uploaded_images_are_served_to_signed_in_users_with_cache_headers(client, login_as):
    login_as("trainer")
    data = image_bytes()
    uploaded = client.post("/courses/manage/images",
                           data={"image": (io.BytesIO(data), "流程[图].png")})
    assert uploaded.status_code == 200, uploaded.get_data(as_text=True)
    body = uploaded.get_json()
    assert re.fullmatch(r"/courses/images/[0-9a-f]{64}", body["url"])
    assert body["markdown"] == f"![流程图]({body['url']})"
    served = client.get(body["url"])
    assert (served.status_code, served.mimetype, served.data) == (200, "image/png", data)
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    again = client.get(body["url"], headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304

    refused = client.post("/courses/manage/images",
                          data={"image": (io.BytesIO(b"<svg onload=alert(1)>"), "x.png")})
    assert refused.status_code == 400 and "「x.png」不是 PNG" in refused.get_json()["error"]
    assert db.session.query(CourseImage).count() == 1
    assert client.get("/courses/images/" + "0" * 64).status_code == 404


def test_the_exam_page_of_a_course_quiz_leads_back_to_the_course(
    client, login_as, make_course, quiz
):
    login_as("employee")
    course = make_course([LessonValues("quiz", exam_id=quiz.id)])
    intro = html(client.get(f"/exams/{quiz.id}"))
    assert f'href="/courses/{course.id}"' in intro and "返回课程：服务规范课程" in intro


def test_home_lists_unfinished_courses_soonest_first_with_overdue_in_red(
    client, login_as, make_course, make_exam, objective_only, count_queries
):
    now = utcnow()
    make_course(title="逾期课程", now=now - timedelta(days=10), due_in=timedelta(days=2))
    make_course(title="下周课程", due_in=timedelta(days=7))
    make_exam(title="正式考试")
    login_as("employee")
    with count_queries() as queries:
        page = html(client.get("/"))
    assert queries.count <= 17  # each list once (certification tasks included) and a quiz's 3; none per course
    tasks = page.split('data-testid="panel-employee"')[1]
    assert tasks.index("逾期课程") < tasks.index("下周课程")
    overdue = tasks.split('data-testid="task-course" data-overdue="true"')[1][:600]
    assert "逾期课程" in overdue and "已逾期" in overdue
    assert "正式考试" in tasks.split('data-testid="task-exams"')[1]


def test_home_shows_the_quiz_under_its_course_and_an_attempt_in_progress(
    client, login_as, make_course, quiz
):
    user = login_as("employee")
    course = make_course([LessonValues("quiz", exam_id=quiz.id)])
    page = html(client.get("/"))
    assert course.title in page and 'data-testid="task-exams"' not in page
    attempt = start_or_resume(user, quiz.id)
    db.session.commit()
    page = html(client.get("/"))
    assert f"/exams/attempts/{attempt.id}" in page and "剩余约 30 分钟" in page


def test_a_failed_course_quiz_with_attempts_left_stays_on_the_home_page(
    client, login_as, make_course, make_exam, objective_only
):
    user = login_as("employee")
    quiz = make_exam(assign_root=False, title="服务规范课程测验", kind="quiz", attempts_allowed=2,
                     review_when="immediately")
    make_course([LessonValues("quiz", exam_id=quiz.id)])
    sit(user, quiz, right=False)
    tasks = html(client.get("/")).split('data-testid="panel-employee"')[1]
    retake = tasks.split('data-testid="task-exams"')[1]
    assert "服务规范课程测验" in retake and "课程测验尚未通过，还可再测 1 次" in retake
    assert f'href="/exams/{quiz.id}"' in retake and "再测一次" in retake
    sit(user, quiz, right=False)  # no attempt left: the course is still listed, the quiz not
    tasks = html(client.get("/")).split('data-testid="panel-employee"')[1]
    assert 'data-testid="task-exams"' not in tasks and "服务规范课程" in tasks


def test_a_passed_course_quiz_leaves_the_home_page(client, login_as, make_course, quiz):
    user = login_as("employee")
    make_course([page_lesson(), LessonValues("quiz", exam_id=quiz.id)])
    sit(user, quiz, right=False)
    assert 'data-testid="task-retake"' in html(client.get("/"))
    sit(user, quiz, right=True)
    assert 'data-testid="task-exams"' not in html(client.get("/"))


def test_a_lesson_quiz_result_leads_back_to_the_course(client, login_as, make_course, quiz):
    user = login_as("employee")
    course = make_course([LessonValues("quiz", exam_id=quiz.id)])
    attempt = sit(user, quiz, right=False)
    result = html(client.get(f"/exams/attempts/{attempt.id}/result"))
    assert f'href="/courses/{course.id}"' in result and "返回课程：服务规范课程" in result


def test_home_says_so_when_there_is_nothing_to_do(client, login_as):
    login_as("employee")
    assert "目前没有待完成的课程或考试" in html(client.get("/"))


def test_a_course_assignment_can_be_removed(client, login_as, make_course):
    login_as("trainer")
    course = make_course()
    assignment = course.assignments[0]
    client.post(f"/courses/manage/{course.id}/assignments/{assignment.id}/delete")
    assert db.session.scalar(select(CourseAssignment.id)) is None
    assign_course(course, targets([ensure_department("测试公司").id], [], []), utcnow() + timedelta(days=1),
                  actor=None)
    db.session.commit()
    assert "测试公司" in html(client.get(f"/courses/manage/{course.id}"))


def test_a_manual_lesson_shows_the_current_edition_and_says_when_its_section_is_gone(
    client, login_as, make_course, manual
):
    login_as("employee")
    course = make_course([
        LessonValues("manual", "投诉响应", manual_id=manual.id, anchor="a3"),
        LessonValues("manual", "回访", manual_id=manual.id, anchor="a4"),
    ])
    respond, follow_up = course.lessons
    page = html(client.get(f"/courses/{course.id}/lessons/{respond.id}"))
    assert "24小时" in page and f'href="/manuals/{quote(manual.slug)}/a/a3"' in page
    import_manuals(parsed(EDITION_2), "制度-第二版.txt")
    db.session.commit()
    assert "12小时" in html(client.get(f"/courses/{course.id}/lessons/{respond.id}"))
    gone = html(client.get(f"/courses/{course.id}/lessons/{follow_up.id}"))
    assert 'data-testid="section-missing"' in gone and f'href="/manuals/{quote(manual.slug)}"' in gone
