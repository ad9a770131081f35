"""Team comparison (团队对比): departments side by side for a period, and against the period
before — pass rate, mean score, participation (参考率), course completion and overdue.

What a period counts, so this month and last month compare like with like:
* exams — the exams whose window closes in the period (formal exams, or the exams chosen);
  everyone an exam's assignments reach is expected (应考), and their counted result (the exam's
  grading method) is what took part, passed and the mean are made of;
* courses — the (course, learner) pairs due in the period; done and overdue as they stand now.
Each department stands for its whole subtree; one level below the chosen department is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Result, Select, and_, case, func, not_, select

from training.courses.models import Course, CourseAssignment
from training.courses.progress import course_done, course_dues
from training.database import db, utcnow, without_jit
from training.exams.grading import final_results
from training.exams.models import Attempt, Exam, ExamAssignment, ExamKind
from training.people.audience import reach
from training.people.models import Department, User
from training.reports.charts import grouped_bars
from training.reports.document import Column, Kind, Report, Table, register
from training.reports.filters import Filters
from training.reports.scope import NO_DEPARTMENT, buckets, people, period, previous_period
from training.timezones import local_day


@dataclass
class Figures:
    """One department's counts for one period; rates are derived, in percent."""

    department: str
    expected: int = 0  # (exam, person) pairs the period's exams reach
    took_part: int = 0
    passed: int = 0
    score_sum: float = 0.0
    courses: int = 0  # (course, learner) pairs due in the period
    courses_done: int = 0
    overdue: int = 0

    def add(self, other: Figures) -> None:
        for name in ("expected", "took_part", "passed", "score_sum", "courses", "courses_done",
                     "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def participation(self) -> float | None:
        return _share(self.took_part, self.expected)

    @property
    def pass_rate(self) -> float | None:
        return _share(self.passed, self.took_part)

    @property
    def mean(self) -> float | None:
        return round(self.score_sum / self.took_part, 2) if self.took_part else None

    @property
    def completion(self) -> float | None:
        return _share(self.courses_done, self.courses)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def period_exams(filters: Filters) -> list[ColumnElement[bool]]:
    """SQL criteria on Exam: the exams this period counts."""
    chosen = (Exam.id.in_(filters.exam_ids) if filters.exam_ids
              else Exam.kind == ExamKind.FORMAL)
    return [chosen, *period(filters, Exam.closes_at)]


def exam_figures(filters: Filters) -> dict[str, Figures]:
    """Per department: expected, took part, passed and the sum of counted scores.

    Two statements grouped by the person's department id, summed into the compared
    departments here (a few dozen ids): joining the reach or the results to the compared
    departments' subtree test in SQL let both engines under-estimate the people (PostgreSQL
    guessed 17 rows for 5,000) and scan the reach once per person (30–40 s for a centre
    and a year)."""
    exams = select(Exam.id).where(*period_exams(filters))
    bucket_of = buckets(filters).of_departments()
    figures: dict[str, Figures] = {}

    def of(department_id: int | None) -> Figures | None:
        path = bucket_of.get(department_id)
        return None if path is None else figures.setdefault(path, Figures(path))

    for department_id, expected in _expected(filters, exams):
        if row := of(department_id):
            row.expected += expected
    for department_id, took, passed, total in _results(filters, exams):
        if row := of(department_id):
            row.took_part += took
            row.passed += int(passed or 0)
            row.score_sum += float(total or 0)
    return figures


def _expected(filters: Filters, exams: Select) -> Result:
    """Per department id: the (exam, person) pairs these exams' assignments reach."""
    pairs = (reach(ExamAssignment, ExamAssignment.exam_id, User.id, User.department_id)
             .where(ExamAssignment.exam_id.in_(exams), *people(filters))
             .distinct().subquery())
    return db.session.execute(select(pairs.c.department_id, func.count())
                              .group_by(pairs.c.department_id))


def _results(filters: Filters, exams: Select) -> Result:
    """Per department id: the counted results of these exams among the people they reach —
    how many, passed, and the sum of percentages."""
    results = final_results(Attempt.exam_id.in_(exams)).subquery()
    # Correlated on the results only: the reach test keeps its own User row, which the
    # department test nested in it correlates to.
    reached = (reach(ExamAssignment, ExamAssignment.id)
               .where(ExamAssignment.exam_id == results.c.exam_id, User.id == results.c.user_id)
               .correlate(results).exists())
    return db.session.execute(
        select(User.department_id, func.count(), func.sum(case((results.c.passed, 1), else_=0)),
               func.sum(results.c.percent))
        .select_from(results)
        .join(User, User.id == results.c.user_id)
        .where(reached, *people(filters))
        .group_by(User.department_id))


def course_figures(filters: Filters, now: datetime) -> dict[str, Figures]:
    """Per department: course pairs due in the period, done, and overdue now."""
    chosen = ([CourseAssignment.course_id == filters.course_id]
              if filters.course_id is not None else [])
    dues = course_dues(*chosen).subquery()
    done = course_done(now)
    stmt = (
        select(func.count(), func.sum(case((done, 1), else_=0)),
               func.sum(case((and_(dues.c.due_at < now, not_(done)), 1), else_=0)))
        .select_from(dues)
        .join(Course, Course.id == dues.c.owner_id)
        .join(User, User.id == dues.c.user_id)
        .outerjoin(Department, Department.id == User.department_id)
        .where(*people(filters), *period(filters, dues.c.due_at))
    )
    stmt, bucket = buckets(filters).join(stmt, Department.path)
    rows = db.session.execute(stmt.add_columns(bucket).group_by(bucket))
    return {path: Figures(path, courses=courses, courses_done=int(done_count or 0),
                          overdue=int(late or 0))
            for courses, done_count, late, path in rows}


def team_figures(filters: Filters, now: datetime) -> list[Figures]:
    """Every department to compare (also those with nothing to count), then the total."""
    figures = {path: Figures(path) for path in buckets(filters).paths}
    for part in (exam_figures(filters), course_figures(filters, now)):
        for path, counted in part.items():
            figures[path].add(counted)
    shown = [row for row in figures.values() if row.expected or row.courses]
    total = Figures(_("合计"))
    for row in shown:
        total.add(row)
    return [*shown, total]


def default_period(filters: Filters, today: date) -> Filters:
    """A period is needed to compare with the one before: this month unless one is given."""
    if filters.date_from and filters.date_to:
        return filters
    start = filters.date_from or today.replace(day=1)
    end = filters.date_to or max(start, today)
    return filters.with_period(start, end)


def _label(path: str) -> str:
    return _("（无部门）") if path == NO_DEPARTMENT else path


def _table(title: str, rows: list[Figures]) -> Table:
    return Table(title, _columns(), [
        (_label(row.department), row.expected, row.took_part, row.participation, row.passed,
         row.pass_rate, row.mean, row.courses, row.completion, row.overdue) for row in rows])


def _columns() -> tuple[Column, ...]:
    """The column titles in the reader's language (built per request, not at import)."""
    return (
        Column(_("部门")), Column(_("应考人次"), Kind.INT), Column(_("参考人次"), Kind.INT),
        Column(_("参考率"), Kind.PERCENT), Column(_("通过人次"), Kind.INT),
        Column(_("通过率"), Kind.PERCENT), Column(_("平均分"), Kind.NUMBER),
        Column(_("应完成课程"), Kind.INT), Column(_("课程完成率"), Kind.PERCENT),
        Column(_("逾期"), Kind.INT),
    )


def _change(now: Figures, before: Figures) -> tuple:
    def delta(a: float | None, b: float | None) -> float | None:
        return round(a - b, 2) if a is not None and b is not None else None

    return (_label(now.department), delta(now.participation, before.participation),
            delta(now.pass_rate, before.pass_rate), delta(now.mean, before.mean),
            delta(now.completion, before.completion), now.overdue - before.overdue)


@register("teams")
def team_report(filters: Filters) -> Report:
    without_jit()
    now = utcnow()
    filters = default_period(filters, local_day(now))
    assert filters.date_from and filters.date_to
    before_from, before_to = previous_period(filters.date_from, filters.date_to)
    current = team_figures(filters, now)
    previous = team_figures(filters.with_period(before_from, before_to), now)
    earlier = {row.department: row for row in previous}
    span = _("%(start)s 至 %(end)s", start=filters.date_from.isoformat(),
             end=filters.date_to.isoformat())
    before = _("%(start)s 至 %(end)s", start=before_from.isoformat(), end=before_to.isoformat())
    names = [_label(row.department) for row in current[:-1]]
    return Report(
        name="teams",
        title=_("团队对比"),
        filters=filters,
        notes=(_("本期 %(period)s，上期 %(before)s。考试按考试截止时间归入期间，课程按截止日期归入期间；"
                 "逾期为当前仍未完成的人次。", period=span, before=before),),
        tables=(
            _table(_("本期 %(period)s", period=span), current),
            _table(_("上期 %(period)s", period=before), previous),
            Table(_("变化（百分点）"),
                  (Column(_("部门")), Column(_("参考率"), Kind.NUMBER),
                   Column(_("通过率"), Kind.NUMBER), Column(_("平均分"), Kind.NUMBER),
                   Column(_("课程完成率"), Kind.NUMBER), Column(_("逾期"), Kind.INT)),
                  [_change(row, earlier.get(row.department, Figures(row.department)))
                   for row in current]),
        ),
        charts=(
            grouped_bars(_("通过率：本期与上期"), names, {
                _("本期通过率"): [row.pass_rate for row in current[:-1]],
                _("上期通过率"): [earlier.get(row.department, Figures("")).pass_rate
                             for row in current[:-1]],
            }),
            grouped_bars(_("本期参考率与课程完成率"), names, {
                _("参考率"): [row.participation for row in current[:-1]],
                _("课程完成率"): [row.completion for row in current[:-1]],
            }),
        ),
    )
