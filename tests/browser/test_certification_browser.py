"""Certification in a real browser: an employee with nothing passes the required exam and
finishes the course, becomes certified (the exam's and the course's events evaluate them),
opens 我的认证, downloads the certificate, and the QR code on it opens a verify page that says
the certificate is valid."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_exam_browser import ALL_SAVED, answer_all, ready
from tests.certification.conftest import exam, make_level  # noqa: F401  (fixtures)
from tests.courses.conftest import make_course, page_lesson  # noqa: F401
from tests.exams.conftest import drawn, make_exam, objective_only, paper, questions  # noqa: F401
from training.certification import rules

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots/cert-pages")


@pytest.fixture
def level(make_level, exam, make_course):  # noqa: F811
    course = make_course([page_lesson("服务礼仪")], title="服务礼仪课程")
    return make_level(rules.AllOf((rules.ExamPassed(exam.id, min_percent=80),
                                   rules.CourseCompleted(course.id))),
                      code="junior", name="初级客服专员", validity_months=12)


def _decoded_qr(pdf: Path, tmp_path: Path) -> str:
    """The PDF's first page as a PNG (kept for a person to look at) and the URL its QR holds."""
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "certificate")], check=True)
    [png] = tmp_path.glob("certificate*.png")
    assert png.stat().st_size > 10_000
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, SHOTS / "certificate_pdf.png")
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg not installed (apt-get install zbar-tools) to read the QR code")
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                         text=True, check=True).stdout.strip()
    return out


def test_an_employee_earns_downloads_and_verifies_a_certificate(page, sign_in, shot, level,
                                                                tmp_path, live_server):
    sign_in("employee", display_name="张小明")
    page.goto("/")
    page.get_by_role("link", name="我的认证").click()
    card = page.get_by_test_id("level").filter(has_text="初级客服专员")
    expect(card.get_by_test_id("status")).to_have_text("未开始")
    shot(page, "mine_before")

    card.get_by_role("link", name=re.compile("客户服务测试考试")).click()  # the exam to take
    page.get_by_test_id("start").click()
    ready(page)
    answer_all(page)
    expect(page.locator("[data-save-status]")).to_have_text(ALL_SAVED)
    page.get_by_test_id("submit-open").click()
    page.get_by_test_id("submit-confirm").click()
    page.wait_for_url(re.compile(r"/result$"))

    page.goto("/certification/mine")
    card = page.get_by_test_id("level").filter(has_text="初级客服专员")
    expect(card.get_by_test_id("status")).to_have_text("进行中")  # the exam, not yet the course
    expect(card.locator("[data-testid=requirement][data-met=true]")).to_have_count(1)
    card.get_by_role("link", name=re.compile("服务礼仪课程")).click()  # the course to finish
    page.get_by_test_id("continue").click()
    expect(page.get_by_test_id("course-done")).to_be_visible()

    page.goto("/certification/mine")
    card = page.get_by_test_id("level").filter(has_text="初级客服专员")
    expect(card.get_by_test_id("status")).to_have_text("已认证")
    expect(card.get_by_test_id("days-left")).to_contain_text("剩余")
    shot(page, "mine_certified")
    page.screenshot(path=str(SHOTS / "mine_certified.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "张小明" in text and "初级客服专员" in text
    url = _decoded_qr(pdf, tmp_path)
    assert "/verify/" in url
    page.goto(live_server + "/verify/" + url.rsplit("/verify/", 1)[1])
    expect(page.get_by_test_id("verify-status")).to_have_attribute("data-status", "valid")
    expect(page.get_by_test_id("verify-level")).to_have_text("初级客服专员")
    expect(page.get_by_test_id("verify-holder")).not_to_have_text("张小明")  # masked
    page.screenshot(path=str(SHOTS / "verify.png"), full_page=True)
