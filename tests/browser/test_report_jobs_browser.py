"""A background export in a real browser: HR runs a saved report again from 我的报表, watches
the job page's progress bar move, and downloads the file when it is ready."""

from __future__ import annotations

import os
import shutil

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.reports.samples import GATE, sample_reports  # noqa: F401
from training.database import db
from training.reports.models import SavedReport

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
    assert load_workbook(download.value.path()).sheetnames == ["按部门"]

    page.goto("/reports/mine")
    expect(page.get_by_test_id("report-jobs")).to_contain_text("慢速示例报表")
    keep(shot(page, "my_reports"))
