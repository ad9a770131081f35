"""The trainer's view of a course: every learner's progress, per department, and as Excel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Select, and_, case, func, select

from training.courses.labels import STATUS_LABELS
from training.courses.models import Course, CourseAssignment, CourseCompletion, Lesson
from training.courses.progress import Standing, course_dues, lesson_done_at, lesson_started
from training.database import db
from training.people.models import Department, User
from training.spreadsheets import Percent, When, append_row, header

OVERDUE_FILL = PatternFill("solid", fgColor="FDE2E2")


@dataclass(frozen=True)
class Learner:
    user: User
    progress: Standing

    @property
    def department(self) -> str:
        return self.user.department.path if self.user.department else ""


@dataclass
class DepartmentSummary:
    """Counts of one department's learners by state; `overdue` overlaps the unfinished ones."""

    department: str
    assigned: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0

    def add(self, progress: Standing) -> None:
        self.assigned += 1
        setattr(self, progress.status, getattr(self, progress.status) + 1)
        self.overdue += progress.overdue

    @property
    def percent_done(self) -> int:
        return 100 * self.done // self.assigned if self.assigned else 0


@dataclass
class CourseReport:
    course: Course
    now: datetime
    learners: list[Learner] = field(default_factory=list)

    @property
    def departments(self) -> list[DepartmentSummary]:
        summaries: dict[str, DepartmentSummary] = {}
        for learner in self.learners:
            key = learner.department
            summaries.setdefault(key, DepartmentSummary(key)).add(learner.progress)
        return [summaries[key] for key in sorted(summaries)]

    @property
    def totals(self) -> DepartmentSummary:
        total = DepartmentSummary(_("合计"))
        for learner in self.learners:
            total.add(learner.progress)
        return total

    @property
    def overdue(self) -> list[Learner]:
        """Who is late, the longest overdue first."""
        late = [learner for learner in self.learners if learner.progress.overdue]
        return sorted(late, key=lambda learner: (learner.progress.due_at, learner.department))


def standings(course: Course, now: datetime) -> Select[tuple[User, int, int, datetime | None,
                                                             datetime, datetime | None]]:
    """SQL: every learner the course reaches with the numbers of their `Standing` (lessons
    done, any started, the last done, earliest due date, recorded completion), in report order."""
    dues = course_dues(CourseAssignment.course_id == course.id).subquery()
    lessons = (
        select(User.id.label("user_id"), lesson_done_at(now).label("done_at"),
               case((lesson_started(now), 1), else_=0).label("started"))
        .join(dues, dues.c.user_id == User.id)
        .outerjoin(Lesson, Lesson.course_id == course.id)
        .subquery()
    )
    numbers = (
        select(lessons.c.user_id, func.count(lessons.c.done_at).label("done_count"),
               func.max(lessons.c.started).label("started"),
               func.max(lessons.c.done_at).label("last_done_at"))
        .group_by(lessons.c.user_id)
        .subquery()
    )
    return (
        select(User, numbers.c.done_count, numbers.c.started, numbers.c.last_done_at,
               dues.c.due_at, CourseCompletion.completed_at)
        .join(numbers, numbers.c.user_id == User.id)
        .join(dues, dues.c.user_id == User.id)
        .outerjoin(CourseCompletion, and_(CourseCompletion.course_id == course.id,
                                          CourseCompletion.user_id == User.id))
        .outerjoin(User.department)
        .order_by(Department.path, User.employee_no, User.username)
    )


def course_report(course: Course, now: datetime) -> CourseReport:
    """Every learner the course reaches and where they stand, counted in the database (one
    query, however many learners and lessons)."""
    total = len(course.lessons)
    report = CourseReport(course, now)
    for user, done, started, last_done, due, recorded in db.session.execute(standings(course, now)):
        report.learners.append(
            Learner(user, Standing(total, done, bool(started), last_done, due, recorded, now))
        )
    return report


# --- Excel --------------------------------------------------------------------------------


def _department_sheet(sheet: Worksheet, report: CourseReport) -> None:
    sheet.title = _("按部门")
    header(sheet, [_("部门"), _("应学人数"), _("已完成"), _("学习中"), _("未开始"), _("已逾期"),
                   _("完成率")], widths=(36,))
    for row in [*report.departments, report.totals]:
        share = 100 * row.done / row.assigned if row.assigned else 0
        append_row(sheet, [row.department or _("（无部门）"), row.assigned, row.done,
                           row.in_progress, row.not_started, row.overdue, Percent(share)])


def _learner_sheet(sheet: Worksheet, report: CourseReport) -> None:
    header(sheet, [_("工号"), _("姓名"), _("部门"), _("状态"), _("进度"), _("截止日期"),
                   _("完成时间"), _("是否逾期")], widths=(12, 12, 36, 10, 8, 12, 18, 10))
    for learner in report.learners:
        progress = learner.progress
        append_row(sheet, [
            learner.user.employee_no or "", learner.user.display_name, learner.department,
            str(STATUS_LABELS[progress.status]), Percent(progress.percent),
            When(progress.due_at, date_only=True), When(progress.completed_at),
            _("是") if progress.overdue else "",
        ])
        if progress.overdue:
            for cell in sheet[sheet.max_row]:
                cell.fill = OVERDUE_FILL


def report_workbook(report: CourseReport) -> Workbook:
    """The report as a workbook: a sheet per department summary, a sheet per learner."""
    workbook = Workbook()
    _department_sheet(workbook.active, report)
    _learner_sheet(workbook.create_sheet(_("人员明细")), report)
    return workbook
