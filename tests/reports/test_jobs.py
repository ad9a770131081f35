"""Exports as background jobs: start from a report's URL, follow the progress, download the file;
only its owner (or an admin) sees it; saved definitions run again and every month."""

from __future__ import annotations

import io
import time
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.reports.samples import GATE, sample_reports  # noqa: F401
from training.cli import main
from training.database import db, utcnow
from training.reports.jobs import fail_stale_jobs
from training.reports.models import JobStatus, ReportJob, SavedReport
from training.reports.services import previous_month

FILTERS = "from=2026-11-01&to=2026-11-30&department=测试公司/客服中心"


def start(client, report: str = "sample", file_format: str = "xlsx", query: str = FILTERS) -> int:
    response = client.post(f"/reports/{report}/export?format={file_format}&{query}")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "/reports/jobs/" in response.headers["Location"]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def status(client, job_id: int) -> dict:
    response = client.get(f"/reports/jobs/{job_id}/status")
    assert response.status_code == 200
    return response.get_json()


def wait_until(client, job_id: int, done=lambda s: s["status"] in ("done", "failed")) -> dict:
    """Poll the status as the job page does, until `done` holds (or 30 s: then fail)."""
    deadline = time.monotonic() + 30
    while not done(found := status(client, job_id)):
        assert time.monotonic() < deadline, found
        time.sleep(0.05)
    return found


def test_an_export_runs_in_the_background_and_downloads_with_the_reports_numbers(
        client, login_as, sample_reports):  # noqa: F811
    login_as("hr")
    job_id = start(client)
    page = client.get(f"/reports/jobs/{job_id}").get_data(as_text=True)
    assert "2026-11-01 – 2026-11-30" in page and "测试公司/客服中心" in page
    finished = wait_until(client, job_id)
    assert finished["status"] == "done" and finished["progress"] == 100
    assert finished["filename"].startswith("示例考试报表-") and finished["filename"].endswith(".xlsx")
    download = client.get(finished["download_url"])
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(download.data))["按部门"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["一组", 2, 0.5], ["二组", 1, 1.0]]
    job = db.session.get(ReportJob, job_id)
    assert job.args == {"from": "2026-11-01", "to": "2026-11-30", "department": "测试公司/客服中心"}


@pytest.mark.parametrize(("file_format", "starts"), [("csv", b"\xef\xbb\xbf"), ("pdf", b"%PDF")])
def test_csv_and_pdf_exports_download_too(client, login_as, sample_reports, file_format,  # noqa: F811
                                          starts):
    login_as("trainer")
    finished = wait_until(client, start(client, file_format=file_format))
    download = client.get(finished["download_url"])
    assert download.data.startswith(starts)
    assert download.mimetype == {"csv": "text/csv", "pdf": "application/pdf"}[file_format]


def test_the_progress_moves_while_the_builder_works(client, login_as, sample_reports):  # noqa: F811
    login_as("hr")
    job_id = start(client, "sample-gated")
    half = wait_until(client, job_id, lambda s: s["progress"] > 0)
    assert half["status"] == "running" and 0 < half["progress"] < 100
    assert half["download_url"] is None
    assert client.get(f"/reports/jobs/{job_id}/download").status_code == 302  # not yet: the page
    GATE.set()
    assert wait_until(client, job_id)["status"] == "done"


def test_a_failing_builder_ends_as_a_failed_job_that_says_so(client, login_as, sample_reports):  # noqa: F811
    login_as("hr")
    finished = wait_until(client, start(client, "sample-broken"))
    assert finished["status"] == "failed"
    assert finished["error"] == "生成报表时出错。"
    assert finished["download_url"] is None


def test_only_the_owner_or_an_admin_sees_and_downloads_a_job(
        app, client, login_as, sample_reports):  # noqa: F811
    login_as("hr")
    job_id = start(client)
    wait_until(client, job_id)
    paths = [f"/reports/jobs/{job_id}", f"/reports/jobs/{job_id}/status",
             f"/reports/jobs/{job_id}/download"]
    client.post("/logout")
    login_as("hr")  # another HR officer
    assert [client.get(path).status_code for path in paths] == [404, 404, 404]
    assert "示例考试报表" not in client.get("/reports/mine").get_data(as_text=True)
    client.post("/logout")
    login_as("admin")
    assert [client.get(path).status_code for path in paths] == [200, 200, 200]


def test_an_employee_cannot_export(client, login_as, sample_reports):  # noqa: F811
    login_as("employee")
    assert client.post(f"/reports/sample/export?format=xlsx&{FILTERS}").status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(ReportJob)) == 0


@pytest.mark.parametrize(("path", "expected"), [
    ("/reports/sample/export?format=docx", "不支持的导出格式：docx"),
    ("/reports/sample/export?format=xlsx&from=2026-13-01", "参数 from 应为日期"),
])
def test_a_bad_format_or_filter_is_refused_by_name_and_queues_nothing(
        client, login_as, sample_reports, path, expected):  # noqa: F811
    login_as("hr")
    response = client.post(path, follow_redirects=True)
    assert expected in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ReportJob)) == 0


def test_an_unknown_report_is_not_found(client, login_as, sample_reports):  # noqa: F811
    login_as("hr")
    assert client.post("/reports/no-such-report/export?format=xlsx").status_code == 404


def test_a_saved_report_is_listed_and_runs_again_with_its_filters(
        client, login_as, sample_reports):  # noqa: F811
    login_as("hr")
    response = client.post(f"/reports/sample/save?{FILTERS}&exam=3&exam=4",
                           data={"name": "十一月客服中心", "format": "csv"}, follow_redirects=True)
    assert "报表已保存到“我的报表”" in response.get_data(as_text=True)
    saved = db.session.scalars(db.select(SavedReport)).one()
    assert saved.args["exam"] == ["3", "4"] and saved.format == "csv" and not saved.monthly
    mine = client.get("/reports/mine").get_data(as_text=True)
    assert "十一月客服中心" in mine and "测试公司/客服中心" in mine
    response = client.post(f"/reports/saved/{saved.id}/run")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert wait_until(client, job_id)["status"] == "done"
    job = db.session.get(ReportJob, job_id)
    assert (job.args, job.format, job.saved_report_id) == (saved.args, "csv", saved.id)
    client.post(f"/reports/saved/{saved.id}/delete")
    assert db.session.scalar(db.select(db.func.count()).select_from(SavedReport)) == 0
    assert db.session.get(ReportJob, job_id) is not None  # the file stays in the list


def test_saving_under_the_same_name_replaces_the_definition(client, login_as, sample_reports):  # noqa: F811
    login_as("hr")
    for query in ("from=2026-10-01", "from=2026-11-01"):
        client.post(f"/reports/sample/save?{query}", data={"name": "月报", "format": "xlsx"})
    assert [s.args for s in db.session.scalars(db.select(SavedReport))] == [{"from": "2026-11-01"}]


def test_someone_elses_saved_report_can_be_neither_run_nor_deleted(
        client, login_as, sample_reports):  # noqa: F811
    login_as("hr")
    client.post("/reports/sample/save", data={"name": "我的", "format": "xlsx"})
    saved_id = db.session.scalars(db.select(SavedReport.id)).one()
    client.post("/logout")
    login_as("trainer")
    assert client.post(f"/reports/saved/{saved_id}/run").status_code == 404
    assert client.post(f"/reports/saved/{saved_id}/delete").status_code == 404
    assert db.session.get(SavedReport, saved_id) is not None


def test_previous_month_is_the_calendar_month_before():
    assert previous_month(date(2026, 12, 1)) == (date(2026, 11, 1), date(2026, 11, 30), "2026-11")
    assert previous_month(date(2027, 1, 31)) == (date(2026, 12, 1), date(2026, 12, 31), "2026-12")
    assert previous_month(date(2028, 3, 15))[1] == date(2028, 2, 29)


def monthly_report(make_user, **fields) -> SavedReport:
    owner = make_user(roles=("hr",))
    saved = SavedReport(owner=owner, name="客服中心月报", report="sample", format="xlsx",
                        monthly=True, args={"from": "2026-01-01", "department": "测试公司/客服中心"},
                        **fields)
    db.session.add(saved)
    db.session.commit()
    return saved


def run_scheduled(app, day: str) -> str:
    result = CliRunner().invoke(main, ["report", "run-scheduled", "--today", day],
                                obj=_script_info(app))
    assert result.exit_code == 0, result.output
    return result.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_the_monthly_run_makes_last_months_file_once_into_the_owners_list(
        app, make_user, sample_reports):  # noqa: F811
    saved = monthly_report(make_user)
    output = run_scheduled(app, "2026-12-01")
    assert "1 scheduled report(s) queued" in output
    job = db.session.scalars(db.select(ReportJob)).one()
    db.session.refresh(job)
    assert job.owner_id == saved.owner_id and job.scheduled_month == "2026-11"
    assert job.args == {"from": "2026-11-01", "to": "2026-11-30",
                        "department": "测试公司/客服中心"}
    assert job.status == JobStatus.DONE and job.content.startswith(b"PK")  # made before exit
    assert "0 scheduled report(s) queued" in run_scheduled(app, "2026-12-15")
    assert "1 scheduled report(s) queued" in run_scheduled(app, "2027-01-01")


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    return FakeSMTP.sent


def test_the_monthly_file_is_mailed_only_when_smtp_is_configured(
        app, make_user, sample_reports, smtp):  # noqa: F811
    monthly_report(make_user, email="hr@example.com")
    run_scheduled(app, "2026-12-01")
    assert smtp == []
    db.session.execute(db.delete(ReportJob))
    db.session.commit()
    app.config["SMTP_HOST"] = "mail.example.com"
    try:
        run_scheduled(app, "2026-12-01")
    finally:
        app.config["SMTP_HOST"] = None
    (message,) = smtp
    assert message["To"] == "hr@example.com" and "2026-11" in message["Subject"]
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename().endswith(".xlsx")
    assert attachment.get_content().startswith(b"PK")


def test_a_job_whose_runner_died_is_marked_failed_by_the_sweep(app, make_user):
    owner = make_user(roles=("hr",))
    now = utcnow()
    stale = ReportJob(owner=owner, report="sample", args={}, format="xlsx",
                      status=JobStatus.RUNNING, created_at=now - timedelta(hours=2))
    fresh = ReportJob(owner=owner, report="sample", args={}, format="xlsx",
                      status=JobStatus.QUEUED, created_at=now)
    db.session.add_all([stale, fresh])
    db.session.commit()
    assert fail_stale_jobs(now) == 1
    assert (stale.status, fresh.status) == (JobStatus.FAILED, JobStatus.QUEUED)
    assert "重新导出" in stale.error
