"""Reports (报表) for HR and trainers: exams, item analysis, people, teams and learning.

The statistics are pure (`question_bank.statistics`); the queries here aggregate in the
database (grouped SQL) and hand plain rows to them. Every page exports the same numbers to
Excel, CSV and PDF; a long export runs as a background job. HR and trainers by default; a
person's own profile is open to that person and their manager.
"""

from flask import Blueprint

from training.access import blueprint_access

bp = Blueprint("reports", __name__, url_prefix="/reports")
blueprint_access(bp, "hr", "trainer")

from training.jobs import register_job  # noqa: E402
from training.reports import job_routes  # noqa: E402,F401  (registers the views)
from training.reports.jobs import fail_stale_jobs  # noqa: E402

register_job(fail_stale_jobs)  # a job whose worker died is marked failed, pages read or not
