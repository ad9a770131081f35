"""Weak articles (薄弱条文): the regulation articles behind the wrong exam answers, for one or
several exams, a department subtree and a period — where to retrain next."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import Select, select

from training.exams.models import Attempt
from training.people.models import User
from training.reports.charts import grouped_bars
from training.reports.document import Column, Report, Table, register
from training.reports.filters import Filters
from training.reports.scope import people, period

CHART_ARTICLES = 12  # the chart shows the weakest; the table lists them all


# The article links sit above the reports in the layers, so they hand in the table that turns
# attempts into their weakest articles (as they hand the item analysis its article names).
WEAKNESS_TABLES: list[Callable[[Select], Table]] = []


def weak_article_table(attempts: Select) -> Table:
    """The regulation articles behind the wrong answers of these attempts, weakest first."""
    if WEAKNESS_TABLES:
        return WEAKNESS_TABLES[0](attempts)
    return Table(_("薄弱条文"), (Column(_("条文")),), [])


def scoped_attempts(filters: Filters) -> Select:
    """SQL: the ids of the submitted attempts of the filters' exams, people and period."""
    criteria = [Attempt.submitted_at.is_not(None), *period(filters, Attempt.submitted_at),
                *people(filters)]
    if filters.exam_ids:
        criteria.append(Attempt.exam_id.in_(filters.exam_ids))
    return select(Attempt.id).join(User, User.id == Attempt.user_id).where(*criteria)


@register("weak_articles")
def weak_articles_report(filters: Filters) -> Report:
    table = weak_article_table(scoped_attempts(filters))
    weakest = table.rows[:CHART_ARTICLES]
    return Report(
        name="weak_articles",
        title=_("薄弱条文"),
        filters=filters,
        notes=(_("按题目关联的制度条文汇总已评分的作答，错误率高的条文排在前面，可据此安排复训。"
                 "未关联条文的题目和待阅卷的主观题不计入。"),),
        tables=(table,),
        charts=(grouped_bars(_("错误率最高的条文"), [f"{row[0]} {row[1]}" for row in weakest],
                             {_("错误率"): [row[5] for row in weakest]}),),
    )
