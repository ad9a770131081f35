"""Learning (学习情况): course completion and overdue by department, every learner of one
course, read confirmations of the required regulations, and practice activity — the course
report and the read-confirmation report that used to live in their own features, in one place.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, literal, not_, select

from training.courses.labels import STATUS_LABELS
from training.courses.models import Course
from training.courses.reports import Learner, course_report
from training.database import db, utcnow
from training.manuals.models import Manual, ManualEdition, ReadConfirmation
from training.people.audience import LEARNER_ROLE
from training.people.models import Department, User, UserRole
from training.practice.models import PracticeAnswer
from training.reports.charts import grouped_bars
from training.reports.document import Column, Kind, Report, Table, register
from training.reports.filters import Filters
from training.reports.scope import NO_DEPARTMENT, buckets, people, period
from training.reports.teams import Figures, course_figures
from training.spreadsheets import When


def _label(path: str) -> str:
    return _("（无部门）") if path == NO_DEPARTMENT else path


def _employees(filters: Filters):
    """Criteria on User: the active learners in the filters' departments and position."""
    return [User.active.is_(True), User.roles.any(UserRole.role == LEARNER_ROLE),
            *people(filters)]


def course_table(filters: Filters, now: datetime) -> tuple[Table, list[Figures]]:
    rows = sorted(course_figures(filters, now).values(), key=lambda row: row.department)
    total = Figures(_("合计"))
    for row in rows:
        total.add(row)
    table = Table(
        _("课程完成情况（按部门）"),
        (Column(_("部门")), Column(_("应学人次"), Kind.INT), Column(_("已完成"), Kind.INT),
         Column(_("完成率"), Kind.PERCENT), Column(_("已逾期"), Kind.INT)),
        [(_label(row.department), row.courses, row.courses_done, row.completion, row.overdue)
         for row in [*rows, total]],
    )
    return table, rows


def learner_table(course: Course, filters: Filters, now: datetime) -> Table:
    """Every learner of one course in the filters' departments, as the course report lists
    them (its one grouped query), the longest overdue first."""
    report = course_report(course, now)
    shown = [learner for learner in report.learners if _matches(learner, filters)]
    shown.sort(key=lambda learner: (not learner.progress.overdue, learner.department))
    return Table(
        _("学员明细 · %(course)s", course=course.title),
        (Column(_("工号")), Column(_("姓名")), Column(_("部门")), Column(_("状态")),
         Column(_("进度"), Kind.PERCENT), Column(_("截止日期"), Kind.DATE),
         Column(_("完成时间"), Kind.DATETIME), Column(_("已逾期"))),
        [(learner.user.employee_no or "", learner.user.display_name, learner.department,
          str(STATUS_LABELS[learner.progress.status]), learner.progress.percent,
          When(learner.progress.due_at, date_only=True), When(learner.progress.completed_at),
          _("是") if learner.progress.overdue else "") for learner in shown],
    )


def _matches(learner: Learner, filters: Filters) -> bool:
    path = learner.department
    if filters.department and not (path == filters.department
                                    or path.startswith(filters.department + "/")):
        return False
    return not filters.position or learner.user.position == filters.position


def confirmation_rows(filters: Filters) -> list[tuple[str, str, int, int]]:
    """(manual, department, employees, confirmed) per current required edition and
    department: one grouped statement."""
    stmt = (
        select(Manual.title, func.count(User.id), func.count(ReadConfirmation.id))
        .select_from(User)
        .join(ManualEdition, and_(ManualEdition.is_current.is_(True),
                                  ManualEdition.requires_confirmation.is_(True)))
        .join(Manual, Manual.id == ManualEdition.manual_id)
        .outerjoin(Department, Department.id == User.department_id)
        .outerjoin(ReadConfirmation, and_(ReadConfirmation.user_id == User.id,
                                          ReadConfirmation.edition_id == ManualEdition.id))
        .where(*_employees(filters))
    )
    stmt, bucket = buckets(filters).join(stmt, Department.path)
    rows = db.session.execute(stmt.add_columns(bucket).group_by(Manual.title, bucket)
                              .order_by(Manual.title, bucket))
    return [(title, path, employees, confirmed) for title, employees, confirmed, path in rows]


def unconfirmed_table(filters: Filters) -> Table:
    """Who still owes a confirmation of a required regulation, by manual and department."""
    confirmed = select(ReadConfirmation.id).where(
        ReadConfirmation.user_id == User.id, ReadConfirmation.edition_id == ManualEdition.id)
    rows = db.session.execute(
        select(Manual.title, User.employee_no, User.display_name,
               func.coalesce(Department.path, literal("")))
        .select_from(User)
        .join(ManualEdition, and_(ManualEdition.is_current.is_(True),
                                  ManualEdition.requires_confirmation.is_(True)))
        .join(Manual, Manual.id == ManualEdition.manual_id)
        .outerjoin(Department, Department.id == User.department_id)
        .where(*_employees(filters), not_(confirmed.exists()))
        .order_by(Manual.title, Department.path, User.employee_no, User.username)
    ).all()
    return Table(_("未确认阅读的人员"),
                 (Column(_("制度")), Column(_("工号")), Column(_("姓名")), Column(_("部门"))),
                 [(title, number or "", name, path) for title, number, name, path in rows])


def practice_rows(filters: Filters) -> list[tuple[str, int, int, int, int]]:
    """(department, learners, active learners, answers, right answers) in the period."""
    answers = (
        select(PracticeAnswer.user_id, func.count().label("answers"),
               func.count().filter(PracticeAnswer.correct).label("right"))
        .where(*period(filters, PracticeAnswer.answered_at))
        .group_by(PracticeAnswer.user_id).subquery()
    )
    stmt = (
        select(func.count(User.id), func.count(answers.c.user_id),
               func.coalesce(func.sum(answers.c.answers), 0),
               func.coalesce(func.sum(answers.c.right), 0))
        .select_from(User)
        .outerjoin(Department, Department.id == User.department_id)
        .outerjoin(answers, answers.c.user_id == User.id)
        .where(*_employees(filters))
    )
    stmt, bucket = buckets(filters).join(stmt, Department.path)
    rows = db.session.execute(stmt.add_columns(bucket).group_by(bucket).order_by(bucket))
    return [(path, learners, active, int(total), int(right))
            for learners, active, total, right, path in rows]


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


@register("learning")
def learning_report(filters: Filters) -> Report:
    now = utcnow()
    courses, course_rows = course_table(filters, now)
    confirmations = confirmation_rows(filters)
    practice = practice_rows(filters)
    course = db.session.get(Course, filters.course_id) if filters.course_id is not None else None
    tables = [courses]
    if course is not None:
        tables.append(learner_table(course, filters, now))
    tables += [
        Table(_("制度阅读确认（按部门）"),
              (Column(_("制度")), Column(_("部门")), Column(_("应确认人数"), Kind.INT),
               Column(_("已确认"), Kind.INT), Column(_("确认率"), Kind.PERCENT)),
              [(title, _label(path), employees, confirmed, _percent(confirmed, employees))
               for title, path, employees, confirmed in confirmations]),
        unconfirmed_table(filters),
        Table(_("练习活跃度（按部门）"),
              (Column(_("部门")), Column(_("员工数"), Kind.INT), Column(_("练习人数"), Kind.INT),
               Column(_("参与率"), Kind.PERCENT), Column(_("答题数"), Kind.INT),
               Column(_("人均答题"), Kind.NUMBER), Column(_("正确率"), Kind.PERCENT)),
              [(_label(path), learners, active, _percent(active, learners), total,
                round(total / learners, 2) if learners else None, _percent(right, total))
               for path, learners, active, total, right in practice if learners]),
    ]
    names = [_label(row.department) for row in course_rows]
    return Report(
        name="learning",
        title=_("学习情况"),
        filters=filters,
        notes=(_("课程按截止日期归入所选期间（未选期间时为全部）；完成与逾期为当前状态。练习按作答时间统计。"),),
        tables=tuple(tables),
        charts=(grouped_bars(_("课程完成率（按部门）"), names, {
            _("完成率"): [row.completion for row in course_rows]}),),
    )
