"""Report pages: read the filters from the URL, build the report by name, render it."""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from training.reports import bp
from training.reports.document import Report, build
from training.reports.exams import get_exam
from training.reports.filters import FilterError, Filters
from training.reports.pages import pages_for, register_page, render_report

register_page("reports.exam_report", _l("考试报表"),
              _l("应考、参考、通过、平均分与分布，按部门对比，成绩名单与未参加名单。"),
              "clipboard-data", order=10)
register_page("reports.items_index", _l("试题分析"),
              _l("每题的难度、区分度、选项分布与考查条文，试卷信度；标出需要修改的题目。"),
              "ui-checks", order=20)

EXAM_FIELDS = ("from", "to", "department", "position", "exams")
ITEM_FIELDS = ("from", "to", "department", "position")


@bp.errorhandler(FilterError)
def bad_filter(error: FilterError):
    """A malformed filter in a hand-edited URL: say which, and show the report unfiltered."""
    flash(error.message, "danger")
    return redirect(request.path)


@bp.route("/")
def index():
    return render_template("reports/index.html", pages=pages_for(frozenset(current_user.role_names)))


@bp.route("/exams")
def exam_report():
    report = build("exam", Filters.from_args(request.args))
    return render_report(report, fields=EXAM_FIELDS)


@bp.route("/items")
def items_index():
    """Item analysis without an exam yet: pick one (the filters travel along)."""
    filters = Filters.from_args(request.args)
    if filters.exam_ids:
        args = replace(filters, exam_ids=()).to_args()
        return redirect(url_for("reports.items", exam_id=filters.exam_ids[0], **args))
    return render_report(build("items", filters), fields=("exam", *ITEM_FIELDS))


@bp.route("/exams/<int:exam_id>/items")
def items(exam_id: int):
    exam = get_exam(exam_id)
    filters = replace(Filters.from_args(request.args), exam_ids=(exam.id,))
    report = build("items", filters)
    teaches = bool({"trainer", "admin"} & current_user.role_names)
    if not teaches:  # the question editor is the trainers'
        report = _without_links(report)
    return render_report(report, fields=ITEM_FIELDS, template="reports/items.html", exam=exam,
                         teaches=teaches)


def _without_links(report: Report) -> Report:
    return replace(report, tables=tuple(replace(table, links=()) for table in report.tables))
