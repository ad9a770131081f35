"""The demo courses: built from the bundled regulations and demo bank, assigned, loaded once."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from training.courses.demo import COMPLAINTS, ONBOARDING, ONBOARDING_QUIZ, TEAM_LEAD
from training.courses.models import Course
from training.courses.progress import learner_progress
from training.courses.sections import manual_section
from training.database import db, utcnow
from training.demo.loader import DEMO_STEPS, load_demo
from training.exams.availability import is_assigned
from training.exams.models import Exam
from training.home.services import employee_tasks
from training.people.services import find_user


def test_courses_step_runs_after_the_manuals_and_exams_steps():
    names = [name for name, _step in DEMO_STEPS]
    assert names.index("manuals") < names.index("courses")
    assert names.index("exams") < names.index("courses")


def test_demo_courses_load_once_with_their_lessons_and_reach_every_employee(app):
    load_demo("demo-password-1")
    load_demo("demo-password-1")
    courses = {c.title: c for c in db.session.scalars(select(Course))}
    assert set(courses) == {ONBOARDING, COMPLAINTS, TEAM_LEAD}
    onboarding = courses[ONBOARDING]
    assert onboarding.sequential
    assert [lesson.kind for lesson in onboarding.lessons] == [
        "page", "manual", "manual", "manual", "manual", "quiz"
    ]
    assert [lesson.title for lesson in onboarding.lessons][1:5] == [
        "服务原则", "客户服务管理制度：服务标准", "客户服务管理制度：服务流程", "投诉处理基础"
    ]
    for course in courses.values():
        for lesson in course.lessons:
            if lesson.kind == "manual":
                assert manual_section(lesson.manual_id, lesson.anchor) is not None, lesson.title
    quiz = onboarding.lessons[-1].exam
    assert (quiz.title, quiz.kind, quiz.review_when) == (ONBOARDING_QUIZ, "quiz", "immediately")
    assert db.session.scalar(select(func.count(Exam.id)).where(Exam.kind == "quiz")) == 2
    assert [len(c.lessons) for c in (courses[COMPLAINTS], courses[TEAM_LEAD])] == [6, 5]

    employee = find_user("demo-employee")
    now = utcnow()
    mine = learner_progress(employee, now)
    assert [p.course.title for p in mine] == [ONBOARDING, COMPLAINTS, TEAM_LEAD]  # 14/30/60 days
    assert all(p.status == "not_started" and not p.overdue for p in mine)
    assert is_assigned(quiz, employee)
    tasks = employee_tasks(employee, now)
    assert [p.course.title for p in tasks.courses] == [ONBOARDING, COMPLAINTS, TEAM_LEAD]
    assert ONBOARDING_QUIZ not in {status.exam.title for status in tasks.exams}
    assert not learner_progress(find_user("demo-trainer"), now)


def test_the_onboarding_welcome_page_lists_every_lesson_after_it(app):
    load_demo("demo-password-1")
    onboarding = db.session.scalar(select(Course).filter_by(title=ONBOARDING))
    welcome, *rest = onboarding.lessons
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \| ([^|]+) \|$", welcome.body, re.MULTILINE)
    assert [(int(n), title) for n, title, _rule in rows] == [
        (number, lesson.title) for number, lesson in enumerate(rest, start=1)
    ]
    assert f"本页之后还有 {len(rest)} 个课时" in welcome.body
    assert rows[-1][2] == "测验及格（60%）" and rest[-1].exam.pass_mark == 60
