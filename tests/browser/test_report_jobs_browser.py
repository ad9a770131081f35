"""Exports in a real browser: HR runs a saved report again from 我的报表 and watches the job
page's progress bar move to the download; HR exports the exam report of one department to PDF
(rendered to pictures to be looked at) and saves its filters as a monthly report."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import timedelta
from urllib.parse import quote

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.exams.conftest import drawn, make_exam, objective_only, paper, questions  # noqa: F401
from tests.reports.fixtures import ONE, sitting  # noqa: F401
from tests.reports.samples import GATE, sample_reports  # noqa: F401
from training.database import db, utcnow
from training.reports.models import SavedReport
from training.timezones import local_day

SHOTS = os.environ.get("SHOTS_DIR")  # where screenshots are copied for people to look at


def keep(path) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        shutil.copy(path, SHOTS)


def test_a_background_export_shows_progress_and_finishes(page, sign_in, shot, sample_reports):  # noqa: F811
    hr = sign_in("hr", display_name="周人事")
    db.session.add(SavedReport(owner_id=hr.id, name="客服中心月度通过率", report="sample-gated",
                               format="xlsx", monthly=True,
                               args={"from": "2026-11-01", "to": "2026-11-30",
                                     "department": "测试公司/客服中心"}))
    db.session.commit()
    page.goto("/reports/mine")
    expect(page.get_by_test_id("saved-reports")).to_contain_text("客服中心月度通过率")
    expect(page.get_by_test_id("saved-reports")).to_contain_text("2026-11-01 – 2026-11-30")
    page.get_by_role("button", name="重新生成").click()

    expect(page.get_by_test_id("job-percent")).to_have_text("45%")  # the builder is half done
    expect(page.locator("[data-status-badge=running]")).to_be_visible()
    expect(page.get_by_test_id("job-download")).to_be_hidden()
    expect(page.get_by_test_id("job-filters")).to_contain_text("测试公司/客服中心")
    expect(page.get_by_role("heading", name="客服中心月度通过率")).to_be_visible()
    keep(shot(page, "job_running"))

    GATE.set()
    expect(page.get_by_test_id("job-download")).to_be_visible()
    expect(page.get_by_test_id("job-percent")).to_have_text("100%")
    expect(page.locator("[data-status-badge=done]")).to_be_visible()
    expect(page.get_by_test_id("job-download")).to_contain_text("慢速示例报表-")
    page.wait_for_timeout(1000)  # for the picture only: the bar's width animation ends
    keep(shot(page, "job_done"))
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook.sheetnames == ["按部门"]

    page.goto("/reports/mine")
    expect(page.get_by_test_id("report-jobs")).to_contain_text("慢速示例报表")
    keep(shot(page, "my_reports"))


def _export(page, report_url: str, format: str, path) -> None:
    """Export the report at `report_url` in `format` and save the finished file at `path`."""
    page.goto(report_url)
    page.get_by_test_id(f"export-{format}").click()
    expect(page.get_by_test_id("job-download")).to_be_visible()
    expect(page.get_by_test_id("job-filters")).to_contain_text(ONE)
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    download.value.save_as(path)


def test_hr_filters_the_exam_report_exports_it_and_saves_its_filters(
        page, sign_in, shot, sitting, tmp_path):  # noqa: F811
    exam, _people = sitting
    sign_in("hr", display_name="周人事")
    today = local_day(utcnow())
    page.goto(f"/reports/exams?exam={exam.id}")
    form = page.get_by_test_id("report-filters")
    form.locator("#f-department").select_option(ONE)
    form.locator("#f-from").fill((today - timedelta(days=30)).isoformat())
    form.locator("#f-to").fill(today.isoformat())
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url(re.compile(r".*[?&]to="))  # the filters are in the address, to share
    assert f"department={quote(ONE, safe='')}" in page.url
    assert f"from={(today - timedelta(days=30)).isoformat()}" in page.url
    expect(page.locator("main")).to_contain_text("组长甲")
    expect(page.locator("main")).not_to_contain_text("员工丙")  # the other team
    keep(shot(page, "exam_report"))
    filtered = page.url

    _export(page, filtered, "xlsx", tmp_path / "exam.xlsx")
    names = [cell for sheet in load_workbook(tmp_path / "exam.xlsx")
             for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "组长甲" in names and "员工丙" not in names

    pdf = tmp_path / "exam.pdf"
    _export(page, filtered, "pdf", pdf)
    page.goto(filtered)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "exam")], check=True)
    for picture in sorted(tmp_path.glob("exam*.png")):
        keep(picture)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    assert "组长甲" in text.decode() and "员工丙" not in text.decode()

    page.get_by_test_id("save-report").click()
    page.get_by_test_id("save-name").fill("一组考试月报")
    page.get_by_test_id("save-monthly").check()
    keep(shot(page, "save_form"))
    page.get_by_test_id("save-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("报表已保存")
    page.goto("/reports/mine")
    expect(page.get_by_test_id("saved-reports")).to_contain_text("一组考试月报")
    expect(page.get_by_test_id("saved-reports")).to_contain_text(exam.title)
