"""Who was to sit an exam and how far each got: the trainer's attempts list, its figures and
its Excel export.

Who was to sit it is the audience rule (`training.people.audience`) over the exam's
assignments; anyone who started an attempt is listed by that attempt even if the assignment
has changed since. The figures count the people the department filter keeps: the average and
the pass rate are over each examinee's result under the exam's grading method
(`grading.final_results`), so a mock exam sat five times counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select, true
from sqlalchemy.orm import selectinload, undefer

from training.database import db
from training.exams.grading import final_results
from training.exams.labels import STATE_LABELS
from training.exams.models import Attempt, AttemptEvent, Exam, ExamAssignment
from training.people.audience import in_subtree, reached_user_ids
from training.people.models import Department, User
from training.spreadsheets import Percent, When, append_row, header


class Shown(StrEnum):
    """Which rows the list shows: the attempts (all, open, finished) or who has not started."""

    ALL = "all"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class ListFilter:
    """The list's filter, carried from the list to each answer sheet and back."""

    department: Department | None = None
    shown: Shown = Shown.ALL

    @classmethod
    def of(cls, department_id: int | None, shown: str | None) -> ListFilter:
        """The filter named by a page's query; unknown values mean no filter."""
        department = db.session.get(Department, department_id) if department_id else None
        return cls(department, Shown(shown) if shown in tuple(Shown) else Shown.ALL)

    @property
    def args(self) -> dict[str, object]:
        """The filter as query arguments (defaults left out)."""
        args: dict[str, object] = {}
        if self.department is not None:
            args["department"] = self.department.id
        if self.shown != Shown.ALL:
            args["show"] = self.shown.value
        return args


def in_department(department: Department | None) -> ColumnElement[bool]:
    """SQL on `User`: the user's department is `department` or below it (no filter: true)."""
    if department is None:
        return true()
    home = select(Department.path).where(Department.id == User.department_id).scalar_subquery()
    return in_subtree(home, literal(department.path))


def exam_attempts(
    exam: Exam, department: Department | None = None, shown: Shown = Shown.ALL,
    now: datetime | None = None,
) -> Select[tuple[Attempt]]:
    """The exam's attempts for the trainer, newest first (`LISTED` loads what a list shows)."""
    stmt = (
        select(Attempt).join(User, User.id == Attempt.user_id)
        .where(Attempt.exam_id == exam.id, in_department(department))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    if shown == Shown.IN_PROGRESS and now is not None:
        stmt = stmt.where(Attempt.open_at(now))
    elif shown == Shown.FINISHED:
        stmt = stmt.where(Attempt.submitted_at.is_not(None))
    return stmt


# What a list of attempts shows of each: the examinee, their department, the saves.
LISTED = (selectinload(Attempt.user).selectinload(User.department), undefer(Attempt.save_count))


def _not_started(exam: Exam) -> ColumnElement[bool]:
    """SQL on `User`: reached by the exam's assignments and without an attempt."""
    reached = reached_user_ids(ExamAssignment, ExamAssignment.exam_id == exam.id)
    started = exists().where(Attempt.exam_id == exam.id, Attempt.user_id == User.id)
    return and_(User.id.in_(reached), ~started)


def absentees(exam: Exam, department: Department | None = None) -> Select[tuple[User]]:
    """Who the exam reaches and has not started it, by department and 工号."""
    return (
        select(User).outerjoin(User.department)
        .where(_not_started(exam), in_department(department))
        .options(selectinload(User.department))
        .order_by(Department.path, User.employee_no, User.username)
    )


@dataclass(frozen=True)
class Summary:
    """The figures at the top of the list, for the people the filter keeps."""

    assigned: int  # reached by the assignments now
    not_started: int
    in_progress: int  # attempts open now
    finished: int  # attempts handed in or closed
    with_result: int  # examinees with a graded result
    passed: int
    average: float | None  # mean of the examinees' result percentages

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.with_result if self.with_result else None


def summary(exam: Exam, department: Department | None, now: datetime) -> Summary:
    """The list's figures in four queries, however many examinees."""
    keep = in_department(department)
    reached = reached_user_ids(ExamAssignment, ExamAssignment.exam_id == exam.id)
    assigned = db.session.scalar(select(func.count()).select_from(User).where(
        User.id.in_(reached), keep)) or 0
    not_started = db.session.scalar(select(func.count()).select_from(User).where(
        _not_started(exam), keep)) or 0
    open_now, finished = db.session.execute(
        select(func.count(case((Attempt.open_at(now), 1))),
               func.count(Attempt.submitted_at))
        .join(User, User.id == Attempt.user_id).where(Attempt.exam_id == exam.id, keep)
    ).one()
    results = final_results(Attempt.exam_id == exam.id).subquery()
    count, passed, average = db.session.execute(
        select(func.count(), func.count(case((results.c.passed, 1))), func.avg(results.c.percent))
        .select_from(results).join(User, User.id == results.c.user_id).where(keep)
    ).one()
    return Summary(assigned, not_started, open_now, finished, int(count), int(passed),
                   None if average is None else float(average))


def focus_losses(attempt_ids: list[int]) -> dict[int, int]:
    """How often each attempt's examinee left the exam page, in one query."""
    if not attempt_ids:
        return {}
    return dict(db.session.execute(
        select(AttemptEvent.attempt_id, func.count())
        .where(AttemptEvent.attempt_id.in_(attempt_ids), AttemptEvent.kind == "focus_lost")
        .group_by(AttemptEvent.attempt_id)
    ).all())


# --- Excel --------------------------------------------------------------------------------


def attempts_workbook(exam: Exam, department: Department | None, now: datetime) -> Workbook:
    """The list as a workbook: every attempt and everyone not started, then the figures."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("答卷")
    header(sheet, [_("工号"), _("姓名"), _("部门"), _("次数"), _("状态"), _("开始时间"),
                   _("交卷时间"), _("剩余分钟"), _("得分"), _("满分"), _("得分率"), _("是否通过"),
                   _("离开页面次数")], widths=(12, 12, 30, 6, 10, 17, 17, 10, 8, 8, 9, 9, 12))
    attempts = list(db.session.scalars(exam_attempts(exam, department).options(*LISTED)))
    losses = focus_losses([a.id for a in attempts])
    for attempt in attempts:
        user, state = attempt.user, attempt.state_at(now)
        remaining = attempt.remaining_seconds(now) if state == "in_progress" else None
        append_row(sheet, [
            user.employee_no or "", user.display_name, _department_path(user), attempt.number,
            str(STATE_LABELS[state]), When(attempt.started_at), When(attempt.submitted_at),
            None if remaining is None else -(-remaining // 60), attempt.score, attempt.max_score,
            Percent(attempt.percent), _passed_text(attempt.passed), losses.get(attempt.id, 0),
        ])
    for user in db.session.scalars(absentees(exam, department)):
        append_row(sheet, [user.employee_no or "", user.display_name, _department_path(user),
                           None, _("未开始")])
    _summary_sheet(workbook.create_sheet(_("汇总")), summary(exam, department, now))
    return workbook


def _department_path(user: User) -> str:
    return user.department.path if user.department else ""


def _passed_text(passed: bool | None) -> str:
    if passed is None:
        return ""
    return _("通过") if passed else _("未通过")


def _summary_sheet(sheet: Worksheet, figures: Summary) -> None:
    header(sheet, [_("项目"), _("数值")], widths=(16, 10))
    for label, value in (
        (_("应考人数"), figures.assigned), (_("未开始"), figures.not_started),
        (_("作答中"), figures.in_progress), (_("已交卷"), figures.finished),
        (_("有成绩人数"), figures.with_result), (_("通过人数"), figures.passed),
        (_("平均得分率"), Percent(figures.average)), (_("通过率"), Percent(figures.pass_rate)),
    ):
        append_row(sheet, [label, value])
