"""The demo courses, built from the bundled regulations and the demo bank, assigned to the whole
demo company with due dates 14, 30 and 60 days out, so the demo employee sees reminders.

* 新员工入职培训 — in order: a welcome page, service principles, the customer-service
  regulation's standards and process, complaint-handling basics, and a lesson quiz.
* 投诉处理专项培训 — the complaint chapters of several regulations, the four steps, a quiz.
* 组长晋级培训 — organisation, appraisal, reporting and training duties of a team lead.

Manual sections are found by manual title and anchor; one the library lacks is left out and
reported. The manuals' and exams' steps run first (their blueprints register first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from question_bank.types import type_names
from training.bank.demo import DEMO_BANK
from training.bank.models import Question, QuestionBank, QuestionStatus, QuestionVersion
from training.courses.models import Course
from training.courses.services import (
    LessonValues,
    add_lesson,
    assign_course,
    create_course,
)
from training.database import db, utcnow
from training.demo.loader import DemoReport
from training.demo.people import COMPANY
from training.errors import DomainError
from training.exams.models import Exam
from training.exams.services import KIND_DEFAULTS, ExamSettings, create_exam
from training.manuals.models import Manual
from training.papers.services import add_questions, create_paper
from training.people.audience import targets
from training.people.services import ensure_department
from training.timezones import end_of_local_day, to_local

ONBOARDING = "新员工入职培训"
COMPLAINTS = "投诉处理专项培训"
TEAM_LEAD = "组长晋级培训"
ONBOARDING_QUIZ = "新员工入职测验"
COMPLAINT_QUIZ = "投诉处理测验"
MAIN_REGULATION = "公司内部客户服务管理制度"

WELCOME = """## 欢迎加入客服团队！

接下来的入职培训带你认识公司的**服务原则**、**客户服务管理制度**和**投诉处理**的基本做法，最后完成一次入职测验。本页之后还有 {count} 个课时：

| 步骤 | 内容 | 完成条件 |
|---|---|---|
{steps}

> 学习中遇到问题，请联系培训部王老师。
"""

FOUR_STEPS = """## 投诉处理四步法

1. **倾听**：让客户把话说完，不打断、不争辩，记录要点。
2. **共鸣**：站在客户角度表达理解，例如“给您添麻烦了，我理解您的心情”。
3. **道歉**：为给客户带来的不便真诚道歉，不推诿责任。
4. **解决**：给出明确的解决方案和时限，并按时回访。

> 首问负责制：第一位接待客户的员工负责到底。
"""

TEAM_LEAD_ROLE = """## 组长的角色与职责

- 带领小组达成接通率、满意度和一次解决率目标；
- 每周汇总小组服务情况，按周报制度提交；
- 辅导新员工，组织班前会和案例复盘；
- 处理升级投诉，重大事项第一时间上报。
"""


@dataclass(frozen=True)
class Section:
    manual: str
    anchor: str
    title: str
    seconds: int = 0  # 0: done when opened


@dataclass(frozen=True)
class Page:
    title: str
    body: str
    seconds: int = 0


@dataclass(frozen=True)
class Quiz:
    title: str
    keyword: str  # the quiz asks the demo bank's objective questions whose stem has this word
    count: int


@dataclass(frozen=True)
class Plan:
    title: str
    description: str
    sequential: bool
    due_days: int
    lessons: tuple[Section | Page | Quiz, ...]


ONBOARDING_STEPS: tuple[Section | Quiz, ...] = (
    Section("优质客户服务管理制度", "o4", "服务原则", 60),
    Section(MAIN_REGULATION, "ch2", "客户服务管理制度：服务标准", 60),
    Section(MAIN_REGULATION, "ch3", "客户服务管理制度：服务流程", 60),
    Section(MAIN_REGULATION, "ch4", "投诉处理基础"),
    Quiz(ONBOARDING_QUIZ, "客户", 5),
)
QUIZ_PASS_MARK = 60.0


def _condition(step: Section | Quiz) -> str:
    if isinstance(step, Quiz):
        return f"测验及格（{QUIZ_PASS_MARK:g}%）"
    return f"阅读满 {step.seconds // 60} 分钟" if step.seconds else "打开即完成"


def welcome_page(steps: tuple[Section | Quiz, ...]) -> str:
    """The welcome page's table of the steps after it, made from the steps themselves, so the
    page cannot list fewer steps than the course has."""
    rows = [f"| {number} | {step.title} | {_condition(step)} |"
            for number, step in enumerate(steps, start=1)]
    return WELCOME.format(count=len(rows), steps="\n".join(rows))


PLANS = (
    Plan(ONBOARDING, "新员工入职必修：服务原则、客户服务管理制度、投诉处理基础和入职测验，请按顺序完成。",
         True, 14, (Page("欢迎加入客服团队", welcome_page(ONBOARDING_STEPS)), *ONBOARDING_STEPS)),
    Plan(COMPLAINTS, "投诉受理、处理、回访与总结，以及首问负责制。", False, 30, (
        Page("投诉处理四步法", FOUR_STEPS, 30),
        Section("保监会客户服务管理规定", "ch4", "投诉处理机构与原则", 60),
        Section("银行客户服务管理制度范本", "ch4", "投诉登记、处理和回访", 60),
        Section("优质客户服务管理制度", "o6", "投诉处理流程"),
        Section("客户服务体系(管理制度)", "o2", "首问制和专人负责制"),
        Quiz(COMPLAINT_QUIZ, "投诉", 3),
    )),
    Plan(TEAM_LEAD, "面向拟晋升组长的客服人员：组织架构、考核奖惩、周报和培训职责。", False, 60, (
        Page("组长的角色与职责", TEAM_LEAD_ROLE),
        Section("客户服务管理制度总则", "ch2", "客户服务管理组织架构", 60),
        Section(MAIN_REGULATION, "ch5", "客户服务考核与奖惩", 60),
        Section("客户服务体系(管理制度)", "o4", "周报制度"),
        Section("客户服务管理流程", "p2", "对客服人员进行教育培训"),
    )),
)


def load_demo_courses(report: DemoReport) -> None:
    """Create each demo course once; a course with the same title is left alone."""
    now = utcnow()
    company = ensure_department(COMPANY)
    for plan in PLANS:
        if db.session.scalar(select(Course.id).filter_by(title=plan.title)):
            report.lines.append(f"课程「{plan.title}」已存在，未重复创建")
            continue
        course = create_course(plan.title, plan.description, plan.sequential, actor=None)
        missing = [name for lesson in plan.lessons if (name := _add(course, lesson, now))]
        due = end_of_local_day(to_local(now).date() + timedelta(days=plan.due_days))
        assign_course(course, targets([company.id], [], []), due, actor=None, now=now)
        report.lines.append(
            f"课程「{plan.title}」：{len(course.lessons)} 个课时，{COMPANY}全体员工 "
            f"{plan.due_days} 天内完成" + (f"（缺少：{'、'.join(missing)}）" if missing else "")
        )


def _add(course: Course, lesson: Section | Page | Quiz, now: datetime) -> str | None:
    """Add one planned lesson; the name of what the library lacks when it cannot."""
    if isinstance(lesson, Page):
        rule = "min_time" if lesson.seconds else "opened"
        values = LessonValues("page", lesson.title, rule, lesson.seconds, body=lesson.body)
    elif isinstance(lesson, Section):
        manual_id = db.session.scalar(select(Manual.id).filter_by(title=lesson.manual))
        rule = "min_time" if lesson.seconds else "opened"
        values = LessonValues("manual", lesson.title, rule, lesson.seconds,
                              manual_id=manual_id, anchor=lesson.anchor)
    else:
        exam = _quiz(lesson, now)
        if exam is None:
            return lesson.title
        values = LessonValues("quiz", lesson.title, exam_id=exam.id)
    try:
        add_lesson(course, values, actor=None)
    except DomainError:  # the library has no such section
        return f"{lesson.manual} {lesson.anchor}" if isinstance(lesson, Section) else lesson.title
    return None


def _quiz(plan: Quiz, now: datetime) -> Exam | None:
    """The demo quiz exam (a fixed paper of a few keyed questions), created once."""
    exam = db.session.scalar(select(Exam).filter_by(title=plan.title))
    if exam is not None:
        return exam
    bank = db.session.scalar(select(QuestionBank).filter_by(name=DEMO_BANK))
    questions = _questions(bank, plan) if bank is not None else []
    if not questions:
        return None
    paper = create_paper(f"{plan.title}卷", f"{plan.title}：{len(questions)} 道客观题。", "fixed",
                         bank, actor=None)
    add_questions(paper.sections[0], questions, actor=None)
    db.session.flush()
    settings = {**KIND_DEFAULTS["quiz"], "time_limit_minutes": 15, "pass_mark": QUIZ_PASS_MARK}
    return create_exam(ExamSettings(
        paper_id=paper.id, title=plan.title, kind="quiz", opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=365), description="课程测验：可多次作答，交卷后立即查看成绩和解析。",
        **settings,
    ), actor=None)


def _questions(bank: QuestionBank, plan: Quiz) -> list[Question]:
    """The bank's first keyed objective questions about the quiz's subject, in source order."""
    return list(db.session.scalars(
        select(Question)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.bank_id == bank.id, Question.status == QuestionStatus.READY,
               # answered by picking, not typing: a lesson quiz stays quick
               Question.type.in_(type_names(keyable=True)),
               QuestionVersion.stem.contains(plan.keyword))
        .order_by(QuestionVersion.source_file, QuestionVersion.source_line, Question.id)
        .limit(plan.count)
    ))

