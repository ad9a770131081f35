"""Reports (报表) for HR and trainers: exams, item analysis, people, teams and learning.

The statistics are pure (`question_bank.statistics`); the queries here aggregate in the
database (grouped SQL) and hand plain rows to them. Every page exports the same numbers to
Excel, CSV and PDF; a long export runs as a background job. HR and trainers by default; a
person's own profile is open to that person and their manager.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.navigation import MANAGE, TEACH, register_nav
from training.reports.pages import cell_text, chart_src

bp = Blueprint("reports", __name__, url_prefix="/reports")
blueprint_access(bp, "hr", "trainer")
# HR finds it with its other pages (管理), trainers with theirs (教学).
register_nav("reports.index", _l("报表"), "bar-chart-line", "hr", order=50, group=MANAGE)
register_nav("reports.index", _l("报表"), "bar-chart-line", "trainer", order=230, group=TEACH)
bp.add_app_template_filter(cell_text, "report_cell")
bp.add_app_template_filter(chart_src, "chart_src")

from training.jobs import register_job  # noqa: E402
from training.reports import (  # noqa: E402,F401  (builders, views)
    exam_reports,
    job_routes,  # noqa: E402,F401  (export jobs, saved reports)
    routes,
)
from training.reports.jobs import fail_stale_jobs  # noqa: E402

register_job(fail_stale_jobs)  # a job whose worker died is marked failed, pages read or not
# The people, team, learning and weak-article builders, and their pages.
from training.reports import learning, teams, views, weak_articles  # noqa: E402,F401,I001
