"""The trainer's view of a course: every learner's progress, per department, and as Excel."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from question_bank.cells import text_cells
from question_bank.export.xlsx import workbook_bytes
from training.courses.labels import STATUS_LABELS
from training.courses.models import Course, CourseCompletion, LessonProgress
from training.courses.progress import (
    CourseProgress,
    QuizResult,
    assigned_users,
    learner_dues,
    lesson_states,
    quiz_results,
)
from training.database import db
from training.people.models import User
from training.templating import local_datetime

OVERDUE_FILL = PatternFill("solid", fgColor="FDE2E2")


@dataclass(frozen=True)
class Learner:
    user: User
    progress: CourseProgress

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

    def add(self, progress: CourseProgress) -> None:
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


def course_report(course: Course, now: datetime) -> CourseReport:
    """Every learner the course reaches with their progress, in a fixed number of queries."""
    users_stmt = assigned_users(course)
    users = list(db.session.scalars(users_stmt))
    user_ids = users_stmt.with_only_columns(User.id).order_by(None)
    rows: dict[int, dict[int, LessonProgress]] = defaultdict(dict)
    lesson_ids = [lesson.id for lesson in course.lessons]
    if lesson_ids and users:
        for row in db.session.scalars(select(LessonProgress).where(
            LessonProgress.lesson_id.in_(lesson_ids), LessonProgress.user_id.in_(user_ids)
        )):
            rows[row.user_id][row.lesson_id] = row
    quizzes: dict[int, dict[int, QuizResult]] = defaultdict(dict)
    exam_ids = [lesson.exam_id for lesson in course.lessons if lesson.exam_id]
    for (user_id, exam_id), result in quiz_results(exam_ids, user_ids, now).items():
        quizzes[user_id][exam_id] = result
    completions = dict(db.session.execute(
        select(CourseCompletion.user_id, CourseCompletion.completed_at)
        .where(CourseCompletion.course_id == course.id)
    ).all())
    dues = dict(db.session.execute(learner_dues(course)).all())
    report = CourseReport(course, now)
    for user in users:
        due = dues[user.id]
        states = lesson_states(course, rows[user.id], quizzes[user.id], now)
        report.learners.append(
            Learner(user, CourseProgress(course, states, due, completions.get(user.id), now))
        )
    return report


# --- Excel --------------------------------------------------------------------------------


def _append(sheet: Worksheet, values: list[object], *, bold: bool = False) -> None:
    """One row; text stays text (a name starting with '=' is never a formula)."""
    sheet.append(text_cells(values))
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def _department_sheet(sheet: Worksheet, report: CourseReport) -> None:
    sheet.title = _("按部门")
    _append(sheet, [_("部门"), _("应学人数"), _("已完成"), _("学习中"), _("未开始"), _("已逾期"),
                    _("完成率")], bold=True)
    for row in [*report.departments, report.totals]:
        _append(sheet, [row.department or _("（无部门）"), row.assigned, row.done, row.in_progress,
                        row.not_started, row.overdue, f"{row.percent_done}%"])
    sheet.column_dimensions["A"].width = 36


def _learner_sheet(sheet: Worksheet, report: CourseReport) -> None:
    _append(sheet, [_("工号"), _("姓名"), _("部门"), _("状态"), _("进度"), _("截止日期"),
                    _("完成时间"), _("是否逾期")], bold=True)
    for learner in report.learners:
        progress = learner.progress
        _append(sheet, [
            learner.user.employee_no or "", learner.user.display_name, learner.department,
            str(STATUS_LABELS[progress.status]), f"{progress.percent}%",
            local_datetime(progress.due_at, "yyyy-MM-dd"),
            local_datetime(progress.completed_at), _("是") if progress.overdue else "",
        ])
        if progress.overdue:
            for cell in sheet[sheet.max_row]:
                cell.fill = OVERDUE_FILL
    for column, width in zip("ABCDEFGH", (12, 12, 36, 10, 8, 12, 18, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"


def report_workbook(report: CourseReport) -> bytes:
    """The report as .xlsx: a sheet per department summary, a sheet per learner."""
    workbook = Workbook()
    _department_sheet(workbook.active, report)
    _learner_sheet(workbook.create_sheet(_("人员明细")), report)
    return workbook_bytes(workbook)
