"""Department management and the audit log as an administrator uses them."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

TEAMS = (
    "示范公司/客服中心/热线一组",
    "示范公司/客服中心/热线一组",
    "示范公司/客服中心/热线二组",
    "示范公司/客服中心/投诉处理组",
    "示范公司/华北客服中心/热线组",
    "示范公司/培训部",
    "示范公司/客服中新/热线一组",  # the typo
)


def test_admin_merges_a_typo_department_and_finds_it_in_the_audit_log(
    page, sign_in, make_user, shot
):
    for path in TEAMS:
        make_user(department_path=path)
    sign_in("admin", department_path="示范公司/信息部", display_name="系统管理员甲")
    page.locator("[data-testid=nav-menu] > .dropdown-toggle", has_text="管理").click()
    page.click(".dropdown-menu.show >> text=部门管理")
    page.wait_for_selector("[data-testid=department-tree]")
    assert page.locator("[data-testid=department-node]").count() == 11
    shot(page, "tree_with_typo")

    page.click("[data-path='示范公司/客服中新'] >> a.fw-semibold >> nth=0")
    page.wait_for_selector("[data-testid=department-path]")
    page.select_option("#target", label="示范公司/客服中心")
    shot(page, "merge_form")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=merge-submit]")
    page.wait_for_selector("text=已把 示范公司/客服中新 合并到 示范公司/客服中心")
    shot(page, "merged")

    page.goto("/admin/departments/")
    assert page.locator("[data-path='示范公司/客服中新']").count() == 0
    hotline = page.locator("[data-path='示范公司/客服中心/热线一组'] .badge").first
    assert hotline.inner_text() == "3 人"
    shot(page, "tree_after_merge")

    page.goto("/admin/audit/")
    page.select_option("#action", value="department.merged")
    page.click("[data-testid=audit-filter] button[type=submit]")
    page.wait_for_url(re.compile(r".*action=department\.merged.*"))
    row = page.locator("[data-testid=audit-row]")
    assert row.count() == 1
    assert "系统管理员甲" in row.inner_text() and "合并部门" in row.inner_text()
    shot(page, "audit_log_merged")
