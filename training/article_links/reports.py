"""The weak-articles table the reports show (per exam, department and period, and in a
person's profile): registered with `training.reports.weak_articles` in this package's
`__init__`, since the reports may not import the article links."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select

from training.article_links.services import article_weakness
from training.reports.document import Column, Kind, Table


def weakness_table(attempts: Select[Any]) -> Table:
    """Per linked article of these attempts' graded answers: questions, answers, wrong and the
    share wrong in percent, weakest first; each row links to the article."""
    rows = article_weakness(attempts)
    return Table(
        _("薄弱条文"),
        (Column(_("制度")), Column(_("条文")), Column(_("题目"), Kind.INT),
         Column(_("作答"), Kind.INT), Column(_("答错"), Kind.INT),
         Column(_("错误率"), Kind.PERCENT)),
        [(row.article.manual_title, row.article.heading, row.questions, row.answers, row.wrong,
          round(100 * row.share_wrong, 2)) for row in rows],
        links=[row.article.url for row in rows],
    )
