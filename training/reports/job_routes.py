"""Export jobs and saved reports: start an export from a report page, follow it, download it;
save a report's filters, run them again, 我的报表.

An export is started by a POST to /reports/<name>/export?format=xlsx&<the page's filters>,
so the buttons of any report page only copy its own query string.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from training.errors import NotFound
from training.extensions import limiter
from training.redirects import safe_next
from training.reports import bp
from training.reports.exports import MIMETYPES, Format, describe_filters
from training.reports.filters import Filters
from training.reports.forms import FORMAT_LABELS, SaveReportForm
from training.reports.models import JobStatus, ReportJob
from training.reports.services import (
    delete_saved,
    parse_format,
    recent_jobs,
    run_saved,
    save_report,
    saved_reports,
    start_export,
    visible_job,
    visible_saved,
)
from training.spreadsheets import file_download
from training.unit_of_work import unit_of_work

EXPORTS_PER_USER = "30 per minute"


def _back() -> str:
    return safe_next(request.form.get("next"), "reports.mine")


def _export_limit_key() -> str:
    return f"report-export:{current_user.get_id()}"


@bp.post("/<name>/export")
@limiter.limit(EXPORTS_PER_USER, key_func=_export_limit_key)
def export(name: str):
    """Queue an export of the report with the filters of the query string."""
    with unit_of_work(passes=(NotFound,)) as work:
        job = start_export(name, Filters.from_args(request.args),
                           parse_format(request.args.get("format")), current_user,
                           title=request.form.get("title", ""))
    if work.done:
        return redirect(url_for("reports.job", job_id=job.id))
    return redirect(_back())


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    found = visible_job(job_id, current_user)
    return render_template("reports/job.html", job=found, filters=describe_filters(
        Filters.from_args(found.args)), format_labels=FORMAT_LABELS)


@bp.get("/jobs/<int:job_id>/status")
def job_status(job_id: int):
    """What the job page polls: status, progress and, when done, where to download."""
    found = visible_job(job_id, current_user)
    return jsonify(status_of(found))


def status_of(found: ReportJob) -> dict[str, object]:
    done = found.status == JobStatus.DONE
    return {
        "id": found.id,
        "status": found.status,
        "progress": found.progress,
        "error": found.error,
        "filename": found.filename,
        "download_url": url_for("reports.download", job_id=found.id) if done else None,
    }


@bp.get("/jobs/<int:job_id>/download")
def download(job_id: int):
    found = visible_job(job_id, current_user)
    if found.status != JobStatus.DONE or found.content is None:
        return redirect(url_for("reports.job", job_id=found.id))
    return file_download(found.content, found.filename or "report", MIMETYPES[Format(found.format)])


@bp.get("/mine")
def mine():
    """我的报表: the saved definitions and the latest exports."""
    return render_template("reports/mine.html", saved=saved_reports(current_user),
                           jobs=recent_jobs(current_user),
                           format_labels=FORMAT_LABELS, describe=_describe_args)


def _describe_args(args: dict) -> list[tuple[str, str]]:
    return describe_filters(Filters.from_args(args))


@bp.post("/<name>/save")
def save(name: str):
    """Save the query string's filters under a name (from a report page's save form)."""
    form = SaveReportForm()
    if not form.validate_on_submit():
        flash(_("请给报表起个名字。"), "danger")
        return redirect(_back())
    with unit_of_work(_("报表已保存到“我的报表”"), passes=(NotFound,)):
        save_report(current_user, form.name.data or "", name, Filters.from_args(request.args),
                    parse_format(form.format.data), monthly=form.monthly.data,
                    email=form.email.data or "")
    return redirect(_back())


@bp.post("/saved/<int:saved_id>/run")
def run_again(saved_id: int):
    with unit_of_work(passes=(NotFound,)) as work:
        job = run_saved(visible_saved(saved_id, current_user), current_user)
    if work.done:
        return redirect(url_for("reports.job", job_id=job.id))
    return redirect(url_for("reports.mine"))


@bp.post("/saved/<int:saved_id>/delete")
def delete(saved_id: int):
    with unit_of_work(_("已删除"), passes=(NotFound,)):
        delete_saved(visible_saved(saved_id, current_user))
    return redirect(url_for("reports.mine"))
