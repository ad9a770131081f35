"""HR's monthly sheet imported again: the preview an administrator reads before committing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.roster_files import roster_xlsx

pytestmark = pytest.mark.browser

HOTLINE = "示范公司/客服中心/热线一组"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_admin_previews_and_applies_the_monthly_roster(page, sign_in, make_user, shot):
    for number, name in (("E1", "张三"), ("E2", "李四"), ("E3", "王五"), ("E8", "吴十")):
        make_user(employee_no=number, display_name=name, department_path=HOTLINE,
                  position="客服专员", phone="13800000001", hire_date=date(2024, 3, 1))
    sign_in("admin", employee_no=None, department_path="示范公司/信息部")
    rows = [
        ["E1", "张三", "示范公司/客服中心/投诉组", "组长", "", "13900000009", ""],
        ["E2", "李四", HOTLINE, "客服专员", "", "", ""],
        ["E3", "王五", HOTLINE, "客服专员", "", "", "2026-01-31"],
        ["E4", "赵六", HOTLINE, "培训师", "2026-12-01", "13700000004", ""],
    ]
    page.goto("/admin/users/import")
    page.set_input_files("#file", files=[
        {"name": "12月花名册.xlsx", "mimeType": XLSX, "buffer": roster_xlsx(rows)}
    ])
    page.check("#whole_roster")
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_selector("[data-testid=roster-counts]")
    kinds = page.locator("[data-testid=roster-row]:visible")
    assert [kinds.nth(i).get_attribute("data-kind") for i in range(kinds.count())] == [
        "changed", "leaving", "new", "leaving"
    ]
    assert "客服专员 → 组长" in page.locator("[data-field=position]").inner_text().replace(
        "：", " "
    ).split(" ", 1)[1]
    shot(page, "preview")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "preview_phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.fill("#initial_password", "Welcome-Aboard-26")
    page.click("[data-testid=roster-commit]")
    page.wait_for_selector("text=已导入：新增 1 人，更新 1 人，离职 2 人")
    shot(page, "done")


def test_every_problem_of_a_row_is_shown_on_one_line_in_row_order(page, sign_in, make_user, shot):
    make_user(employee_no=None, username="n2")
    sign_in("admin", employee_no=None)
    rows = [
        ["N2", "甲", HOTLINE, "客服专员", "", "", ""],
        ["N3", "", HOTLINE, "宇航员", "2025-02-30", "abc", ""],
        ["N4", "丙", HOTLINE, "客服专员", "2026-01-01", "", "2025-12-31"],
    ]
    page.goto("/admin/users/import")
    page.set_input_files("#file", files=[
        {"name": "有错的名单.xlsx", "mimeType": XLSX, "buffer": roster_xlsx(rows)}
    ])
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    lines = page.locator("[data-testid=roster-problem-row]")
    lines.first.wait_for()
    texts = [lines.nth(i).inner_text() for i in range(lines.count())]
    assert [text.split("：")[0] for text in texts] == ["第 2 行", "第 3 行", "第 4 行"]
    assert texts[1].count("；") == 3  # four problems of row 3 on its one line
    assert page.locator("[data-testid=roster-commit]").count() == 0
    shot(page, "problems")
    page.click("text=English")
    page.wait_for_selector("text=Only the people in the sheet are handled")
    shot(page, "problems_english")
