"""The foundation as a person sees it: sign-in per role, lock-out, 403, language, roster import."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.roster_files import bad_rows, good_rows, roster_xlsx
from training.database import db
from training.demo.loader import load_demo
from training.people.models import User

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "demo-browser-1"

ROLE_PANELS = {
    "demo-employee": ("panel-employee", "我的任务"),
    "demo-trainer": ("panel-trainer", "待办与题库"),
    "demo-hr": ("panel-hr", "人员与报表"),
    "demo-admin": ("panel-admin", "用户与账号"),
}


@pytest.fixture
def demo(app):
    load_demo(DEMO_PASSWORD)


def sign_in_form(page, username: str, password: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("[data-testid=login-submit]")


def sign_out(page) -> None:
    page.click("[data-testid=user-menu]")
    page.click("text=退出登录")
    page.wait_for_url(re.compile(r".*/login$"))


def test_each_demo_role_sees_its_home_page(page, demo, shot):
    page.goto("/login")
    shot(page, "login_zh")
    for username, (panel, heading) in ROLE_PANELS.items():
        sign_in_form(page, username, DEMO_PASSWORD)
        page.wait_for_selector(f"[data-testid={panel}]")
        assert heading in page.inner_text(f"[data-testid={panel}]")
        others = set(p for p, _h in ROLE_PANELS.values()) - {panel}
        for other in others:
            assert page.locator(f"[data-testid={other}]").count() == 0
        shot(page, f"home_{username}_zh")
        sign_out(page)


def test_english_home_pages_and_switching_back(page, demo, shot):
    page.goto("/login")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("text=Sign in with your employee no. or login name")
    shot(page, "login_en")
    for username in ROLE_PANELS:
        sign_in_form(page, username, DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=welcome]")
        assert page.inner_text("[data-testid=welcome]").startswith("Hello")
        shot(page, f"home_{username}_en")
        page.click("[data-testid=user-menu]")
        page.click("text=Sign out")
        page.wait_for_url(re.compile(r".*/login$"))
    page.click("[data-testid=lang-zh_CN]")
    page.wait_for_selector("text=请使用工号或登录名登录")


def test_wrong_password_then_lockout_without_revealing_the_account(page, demo, shot):
    sign_in_form(page, "demo-employee", "wrong-password")
    error = page.inner_text("[data-testid=login-error]")
    assert "登录名或密码错误" in error
    shot(page, "wrong_password")
    for _attempt in range(5):
        sign_in_form(page, "demo-employee", "wrong-password")
    assert "登录失败次数过多" in page.inner_text("[data-testid=login-error]")
    # Even the right password is refused while locked out, and an unknown name reads the same.
    sign_in_form(page, "demo-employee", DEMO_PASSWORD)
    assert "登录失败次数过多" in page.inner_text("[data-testid=login-error]")
    for _attempt in range(6):
        sign_in_form(page, "nobody-here", "wrong-password")
    assert "登录失败次数过多" in page.inner_text("[data-testid=login-error]")
    shot(page, "locked_out")


def test_employee_opening_admin_page_gets_403(page, demo, shot):
    sign_in_form(page, "demo-employee", DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=panel-employee]")
    response = page.goto("/admin/users/")
    assert response.status == 403
    assert "无权访问" in page.content()
    shot(page, "forbidden")


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(User.id)))


def upload_roster(page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.goto("/admin/users/import")
    page.set_input_files("#file", str(path))
    page.click("main button[type=submit]")


def test_admin_imports_roster_bad_file_changes_nothing_good_file_imports_50(
    page, demo, shot, tmp_path
):
    sign_in_form(page, "demo-admin", DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=panel-admin]")
    before = user_count()

    upload_roster(page, tmp_path, "bad.xlsx", roster_xlsx(bad_rows()))
    problems = page.locator("[data-testid=roster-problem-row]").all_inner_texts()
    shot(page, "roster_bad")
    assert len(problems) == 3 and page.locator("[data-testid=roster-problem]").count() == 3
    assert any("第 3 行" in p and "工号" in p and "重复" in p for p in problems)
    assert any("第 4 行" in p and "宇航员" in p for p in problems)
    assert any("第 5 行" in p and "入职日期" in p for p in problems)
    assert page.locator("[data-testid=roster-commit]").count() == 0
    assert user_count() == before

    upload_roster(page, tmp_path, "good.xlsx", roster_xlsx(good_rows(50)))
    shot(page, "roster_preview")
    page.fill("#initial_password", "Welcome-Aboard-26")
    page.click("[data-testid=roster-commit]")
    page.wait_for_selector("text=已导入：新增 50 人，更新 0 人，离职 0 人")
    shot(page, "roster_imported")
    assert user_count() == before + 50

    sign_out(page)
    sign_in_form(page, "N2001", "Welcome-Aboard-26")
    page.wait_for_selector("[data-testid=must-change]")
    shot(page, "first_login_change_password")
