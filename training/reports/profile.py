"""One person's 成绩档案: exam scores over time, courses, practice, role-play, weak articles and
certification — for HR and trainers, the person's team leader, and the person themself.

Two builders share one body: `profile` shows every graded score (HR, trainers); the
`profile_released` one shows only what the exams' review policy already shows the examinee, so
neither the employee nor their team leader learns an after-close exam's score early.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, func, select

from training.certification.models import CertEvent, CertLevel, CertStatus
from training.courses.labels import STATUS_LABELS
from training.courses.progress import learner_progress
from training.database import db, utcnow
from training.errors import NotFound
from training.exams.grading import final_results
from training.exams.models import Attempt, Exam, ExamKind
from training.exams.withheld import review_shows
from training.people.models import User
from training.practice.models import PracticeAnswer
from training.reports.charts import over_time, radar
from training.reports.document import Column, Kind, Report, Table, register
from training.reports.filters import Filters
from training.reports.scope import local_date, period
from training.reports.weak_articles import weak_article_table
from training.roleplay.labels import DIMENSION_LABELS
from training.roleplay.models import RunState, ScenarioRun
from training.spreadsheets import When

EXAM_KINDS = {ExamKind.FORMAL: _l("正式考试"), ExamKind.MOCK: _l("模拟考试"),
              ExamKind.QUIZ: _l("课程测验")}
CERT_STATUS = {"not_started": _l("未开始"), "in_progress": _l("进行中"), "certified": _l("已认证"),
               "expiring": _l("即将到期"), "expired": _l("已过期"), "revoked": _l("已撤销")}
CERT_EVENTS = {"awarded": _l("获得认证"), "renewed": _l("续期"), "manual": _l("人工授予"),
               "expired": _l("到期"), "revoked": _l("撤销"), "flagged": _l("待复核"),
               "flag_kept": _l("复核后保留")}


def person(user_id: int | None) -> User:
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise NotFound(_("找不到该人员。"))
    return user


@register("profile")
def full_profile(filters: Filters) -> Report:
    """The profile with every graded score (HR and trainers)."""
    return build_profile(filters, released_only=False)


@register("profile_released")
def released_profile(filters: Filters) -> Report:
    """The profile with only the scores the examinee may already see (self, team leader)."""
    return build_profile(filters, released_only=True)


def build_profile(filters: Filters, *, released_only: bool) -> Report:
    user = person(filters.user_id)
    now = utcnow()
    shown = [review_shows(Exam.review_score, now)] if released_only else []
    attempts = [Attempt.user_id == user.id, *period(filters, Attempt.submitted_at), *shown]
    if filters.exam_ids:
        attempts.append(Attempt.exam_id.in_(filters.exam_ids))
    results = exam_results(attempts)
    dimensions = roleplay_dimensions(user, filters)
    marks = {row.exam.pass_mark for row in results}
    charts = [over_time(_("考试成绩趋势"), {_("得分率"): [(row.at, row.percent) for row in results]},
                        pass_mark=marks.pop() if len(marks) == 1 else None)]
    if dimensions:
        charts.append(radar(_("情景演练各维度得分"), [name for name, _mean, _runs in dimensions],
                            {_("平均分"): [mean for _name, mean, _runs in dimensions]}))
    department = user.department.path if user.department else _("（无部门）")
    return Report(
        name="profile_released" if released_only else "profile",
        title=_("成绩档案 · %(name)s", name=user.display_name),
        filters=filters,
        notes=(_("工号 %(no)s · %(department)s · %(position)s", no=user.employee_no or "—",
                 department=department, position=user.position or "—"),),
        tables=(
            _exam_table(results),
            _course_table(user, now),
            _practice_table(user, filters),
            _roleplay_table(dimensions),
            weak_article_table(select(Attempt.id).join(Exam, Exam.id == Attempt.exam_id)
                        .where(*attempts)),
            *_certification_tables(user, filters),
        ),
        charts=tuple(charts),
    )


class ExamRow:
    """One exam's counted result for the person."""

    def __init__(self, exam: Exam, percent: float, passed: bool, at: datetime) -> None:
        self.exam, self.percent, self.passed, self.at = exam, percent, passed, at


def exam_results(attempts: list[ColumnElement[bool]]) -> list[ExamRow]:
    """Per exam, the counted result (its grading method) and the last submission, oldest
    first: two grouped queries, however many attempts."""
    results = final_results(*attempts).subquery()
    last = (select(Attempt.exam_id, func.max(Attempt.submitted_at).label("at"))
            .join(Exam, Exam.id == Attempt.exam_id).where(*attempts)
            .group_by(Attempt.exam_id).subquery())
    rows = db.session.execute(
        select(Exam, results.c.percent, results.c.passed, last.c.at)
        .join(results, results.c.exam_id == Exam.id)
        .join(last, last.c.exam_id == Exam.id)
        .order_by(last.c.at, Exam.id)
    )
    return [ExamRow(exam, percent, bool(passed), at) for exam, percent, passed, at in rows]


def _exam_table(results: list[ExamRow]) -> Table:
    return Table(
        _("考试成绩"),
        (Column(_("考试")), Column(_("类型")), Column(_("交卷时间"), Kind.DATETIME),
         Column(_("得分率"), Kind.PERCENT), Column(_("及格线"), Kind.PERCENT),
         Column(_("结果"))),
        [(row.exam.title, str(EXAM_KINDS.get(row.exam.kind, row.exam.kind)), When(row.at),
          row.percent, row.exam.pass_mark, _("通过") if row.passed else _("未通过"))
         for row in reversed(results)],
    )


def _course_table(user: User, now: datetime) -> Table:
    """Every course assigned to the person as they stand now (the period does not apply:
    a course is finished or not, whenever it was assigned)."""
    rows = [
        (progress.course.title, str(STATUS_LABELS[progress.status]), progress.percent,
         When(progress.due_at, date_only=True), When(progress.completed_at),
         _("是") if progress.overdue else "")
        for progress in learner_progress(user, now)
    ]
    return Table(
        _("课程"),
        (Column(_("课程")), Column(_("状态")), Column(_("进度"), Kind.PERCENT),
         Column(_("截止日期"), Kind.DATE), Column(_("完成时间"), Kind.DATETIME),
         Column(_("已逾期"))),
        rows,
    )


def practice_days(criteria: list[ColumnElement[bool]]) -> Select:
    """SQL: answers and right answers per local day of the practice answers matching."""
    day = local_date(PracticeAnswer.answered_at)
    return (select(day.label("day"), func.count(), func.count().filter(PracticeAnswer.correct))
            .where(*criteria).group_by(day).order_by(day))


def _practice_table(user: User, filters: Filters) -> Table:
    """Answers per ISO week (Monday's date), folded from the per-day counts SQL returns."""
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    criteria = [PracticeAnswer.user_id == user.id, *period(filters, PracticeAnswer.answered_at)]
    for day, answers, right in db.session.execute(practice_days(criteria)):
        monday = day - timedelta(days=day.weekday())
        weeks[monday][0] += answers
        weeks[monday][1] += right
    return Table(
        _("练习（每周）"),
        (Column(_("周一")), Column(_("答题数"), Kind.INT), Column(_("答对"), Kind.INT),
         Column(_("正确率"), Kind.PERCENT)),
        [(monday.isoformat(), answers, right, round(100 * right / answers, 2))
         for monday, (answers, right) in sorted(weeks.items(), reverse=True)],
    )


def roleplay_dimensions(user: User, filters: Filters) -> list[tuple[str, float, int]]:
    """(dimension, mean score, runs) over the person's finished role-play runs (no
    playtests). The dimensions are a JSON object per run, so they are averaged here over the
    person's runs — a handful of rows, not answers."""
    totals: dict[str, list[float]] = defaultdict(list)
    runs = db.session.scalars(
        select(ScenarioRun.dimensions).where(
            ScenarioRun.user_id == user.id, ScenarioRun.playtest.is_(False),
            ScenarioRun.state == RunState.ENDED, ScenarioRun.dimensions.is_not(None),
            *period(filters, ScenarioRun.ended_at))
    )
    for dimensions in runs:
        for name, score in (dimensions or {}).items():
            totals[name].append(float(score))
    return [(str(DIMENSION_LABELS.get(name, name)), round(sum(scores) / len(scores), 2),
             len(scores)) for name, scores in sorted(totals.items())]


def _roleplay_table(dimensions: list[tuple[str, float, int]]) -> Table:
    return Table(
        _("情景演练维度"),
        (Column(_("维度")), Column(_("平均分"), Kind.NUMBER), Column(_("演练次数"), Kind.INT)),
        dimensions,
    )


def _certification_tables(user: User, filters: Filters) -> tuple[Table, ...]:
    """The person's standing per certification level and its history, when any exists."""
    statuses = db.session.execute(
        select(CertLevel.name, CertStatus.status, CertStatus.met, CertStatus.total,
               CertStatus.expires_on)
        .join(CertLevel, CertLevel.id == CertStatus.level_id)
        .where(CertStatus.user_id == user.id).order_by(CertLevel.sort_order, CertLevel.name)
    ).all()
    events = db.session.execute(
        select(CertEvent.effective_on, CertLevel.name, CertEvent.kind, CertEvent.reason)
        .join(CertLevel, CertLevel.id == CertEvent.level_id)
        .where(CertEvent.user_id == user.id, *_days(CertEvent.effective_on, filters))
        .order_by(CertEvent.effective_on.desc(), CertEvent.id.desc())
    ).all()
    if not statuses and not events:
        return ()
    return (
        Table(_("认证状态"),
              (Column(_("认证等级")), Column(_("状态")), Column(_("已满足要求"), Kind.INT),
               Column(_("要求总数"), Kind.INT), Column(_("到期日"), Kind.DATE)),
              [(name, str(CERT_STATUS.get(status, status)), met, total, expires)
               for name, status, met, total, expires in statuses]),
        Table(_("认证记录"),
              (Column(_("日期"), Kind.DATE), Column(_("认证等级")), Column(_("事件")),
               Column(_("原因"))),
              [(day, name, str(CERT_EVENTS.get(kind, kind)), reason or "")
               for day, name, kind, reason in events]),
    )


def _days(column: ColumnElement[date], filters: Filters) -> list[ColumnElement[bool]]:
    """Criteria on a calendar-day column (no time zone to convert)."""
    criteria = []
    if filters.date_from:
        criteria.append(column >= filters.date_from)
    if filters.date_to:
        criteria.append(column <= filters.date_to)
    return criteria
