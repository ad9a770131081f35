"""Report API views for outside tools (HR or trainer token): the exam report and the item
analysis, with the report filters as query parameters. An unknown exam is a 404; a filter that
matches nothing is an answer with zero attempts."""

from __future__ import annotations

from dataclasses import replace

from flask import jsonify, request

from training.access import roles_required
from training.api import bp
from training.reports.exams import exam_figures, exam_json, get_exam, item_analysis, items_json
from training.reports.filters import Filters


def _filters(exam_id: int) -> Filters:
    return replace(Filters.from_args(request.args), exam_ids=(exam_id,))


@bp.route("/reports/exams/<int:exam_id>")
@roles_required("hr", "trainer")
def exam_report(exam_id: int):
    return jsonify(exam_json(exam_figures(get_exam(exam_id), _filters(exam_id))))


@bp.route("/reports/exams/<int:exam_id>/items")
@roles_required("hr", "trainer")
def exam_items(exam_id: int):
    return jsonify(items_json(item_analysis(get_exam(exam_id), _filters(exam_id))))
