"""The manual library in a browser: search → article → 已阅读确认; import with preview; HR."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.manuals.samples import BROKEN, EDITION_1, EDITION_2, OTHER, parsed
from training.database import db
from training.demo.loader import DemoReport
from training.manuals.demo import load_demo_manuals
from training.manuals.models import ReadConfirmation
from training.manuals.services import import_manuals

pytestmark = pytest.mark.browser
REQUIRED = "公司内部客户服务管理制度"


@pytest.fixture
def demo_library(app):
    load_demo_manuals(DemoReport())
    db.session.commit()


def confirmations() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(ReadConfirmation.id)))


def test_employee_searches_opens_the_article_and_confirms_reading(
    page, demo_library, sign_in, shot
):
    sign_in("employee")
    page.click("text=服务手册")
    page.wait_for_selector("[data-testid=manual-list]")
    assert "待确认" in page.inner_text(f"tr:has-text('{REQUIRED}')")
    shot(page, "library")

    page.fill("[data-testid=manual-search-input]", "投诉")
    page.click("[data-testid=manual-search-submit]")
    page.wait_for_selector("[data-testid=search-result]")
    assert page.locator("[data-testid=search-result] mark").first.inner_text() == "投诉"
    shot(page, "search_results")

    result = page.locator("[data-testid=search-result]", has_text=REQUIRED).first
    result.locator("a").click()
    page.wait_for_url(re.compile(r".*#art-[\w-]+$"))
    anchor = page.url.rpartition("#")[2]
    article = page.locator(f"#{anchor}")
    assert article.is_visible() and "投诉" in article.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == anchor
    shot(page, "article")

    page.locator("[data-testid=confirm-reading]").first.click()
    page.wait_for_selector("text=已确认阅读")
    assert page.locator("[data-testid=confirm-reading]").count() == 0
    shot(page, "confirmed")
    assert confirmations() == 1
    page.goto("/manuals/")
    assert "已确认" in page.inner_text(f"tr:has-text('{REQUIRED}')")


def upload(page, tmp_path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.goto("/manuals/import")
    page.set_input_files("#file", str(path))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=manual-preview-document], [data-testid=manual-problems]")


def test_trainer_imports_a_new_edition_and_reads_the_diff(page, app, sign_in, shot, tmp_path):
    import_manuals(parsed(EDITION_1), "v1.txt")
    db.session.commit()
    sign_in("trainer")

    upload(page, tmp_path, "broken.txt", OTHER + "\n" + BROKEN)
    assert page.locator("[data-testid=manual-commit]").count() == 0
    assert "第 8 行" in page.inner_text("[data-testid=manual-problems]")
    shot(page, "preview_errors")

    upload(page, tmp_path, "客户服务管理制度.txt", EDITION_2)
    assert "新版本：第 2 版" in page.inner_text("main")
    shot(page, "preview")
    page.click("[data-testid=manual-commit]")
    page.wait_for_selector("text=已导入 1 个制度版本")

    page.click("text=客户服务管理制度")
    page.click("text=版本历史")
    page.click("[data-testid=diff-link]")
    page.wait_for_selector("[data-testid=diff-changed]")
    assert page.inner_text("[data-testid=diff-changed] ins").startswith("1")
    shot(page, "diff")


def test_hr_lists_who_has_not_confirmed(page, demo_library, make_user, sign_in, shot):
    for name, team in (("热线小王", "热线一组"), ("在线小李", "在线客服组")):
        make_user(display_name=name, department_path=f"示范公司/客服中心/{team}")
    sign_in("hr", department_path="示范公司/人力资源部")
    page.click("text=报表")
    page.click("text=学习情况")  # read confirmations live in the learning report
    unconfirmed = page.locator("section", has=page.locator("h2", has_text="未确认阅读的人员"))
    expect(unconfirmed.locator("tbody tr")).to_have_count(2)
    shot(page, "report")
    page.select_option("#f-department", label="示范公司/客服中心/热线一组")
    page.get_by_test_id("apply-filters").click()
    expect(unconfirmed.locator("tbody tr")).to_have_count(1)
    expect(unconfirmed.locator("tbody tr")).to_contain_text("热线小王")
    shot(page, "report_filtered")


def test_print_view_and_reader_on_a_phone(page, demo_library, sign_in, shot):
    sign_in("employee")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/manuals/")
    page.click(f"text={REQUIRED}")
    page.wait_for_selector("[data-testid=manual-document]")
    shot(page, "reader_phone")
    assert page.locator("#art-a5").count() == 0, "one chapter at a time"
    toc = page.locator("[data-testid=phone-toc]")
    toc.locator("summary").click()  # the side table of contents is hidden on a phone: this one folds
    shot(page, "reader_phone_toc")
    toc.locator("a", has_text="第三章").first.click()  # 第五条 is in 第三章
    page.wait_for_url(re.compile(r"page=3$"))
    toc.locator("summary").click()
    toc.locator("a", has_text="第五条").first.click()
    page.wait_for_url(re.compile(r"#art-"))
    assert page.locator(":target").inner_text().startswith("第五条")
    shot(page, "reader_phone_chapter")
    page.locator("[data-testid=page-next]").first.click()
    page.wait_for_url(re.compile(r"page=4$"))
    assert page.locator("#art-a6").is_visible() and page.locator("#art-a5").count() == 0
    page.locator("[data-testid=page-prev]").first.click()
    page.wait_for_url(re.compile(r"page=3$"))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.click("text=打印版")
    page.wait_for_selector("[data-print]")
    page.emulate_media(media="print")
    shot(page, "print_media")
