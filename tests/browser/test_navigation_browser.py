"""The top menu as people see it: one line on every desktop width, folded on a phone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def menu_rows(page) -> dict[str, float]:
    """The navbar's height, how many rows its top-level entries sit on, and which labels
    (menu entries, language buttons, the user's name) break over more than one line."""
    return page.evaluate(
        """() => {
            const nav = document.querySelector('nav.navbar');
            const links = [...nav.querySelectorAll('#mainnav > .navbar-nav > .nav-item > .nav-link')];
            const tops = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
            const walker = document.createTreeWalker(nav, NodeFilter.SHOW_TEXT);
            const broken = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (!node.textContent.trim() || !node.parentElement.offsetParent) continue;
                const range = document.createRange();
                range.selectNodeContents(node);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(node.textContent.trim());
            }
            return {height: nav.getBoundingClientRect().height, rows: tops.size, broken: broken};
        }"""
    )


def assert_one_line(bar: dict) -> None:
    assert bar["rows"] == 1 and bar["broken"] == [], bar
    assert bar["height"] < 64, bar


def open_menu(page, label: str) -> None:
    page.locator("[data-testid=nav-menu] > .dropdown-toggle", has_text=label).click()


@pytest.mark.parametrize("width", [992, 1024, 1280, 1366, 1440, 1920])
def test_admin_menu_stays_one_line_on_desktop_widths(page, sign_in, shot, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in("admin")
    assert_one_line(menu_rows(page))
    open_menu(page, "管理")
    page.wait_for_selector(".dropdown-menu.show >> text=用户管理")
    shot(page, f"admin_menu_{width}")


def test_employee_sees_flat_entries_without_drop_downs(page, sign_in):
    sign_in("employee")
    assert page.locator("[data-testid=nav-menu]").count() == 0
    for label in ("首页", "我的课程", "我的考试", "练习", "服务手册"):
        assert page.locator("#mainnav .nav-link", has_text=label).is_visible()


def test_menu_folds_behind_the_toggler_on_a_phone(page, sign_in, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("admin")
    assert not page.locator("#mainnav").is_visible()
    page.click(".navbar-toggler")
    page.wait_for_selector("#mainnav.show")
    open_menu(page, "教学")
    page.wait_for_selector(".dropdown-menu.show >> text=题库")
    shot(page, "admin_menu_390")


def test_admin_menu_stays_one_line_in_english_at_1280(page, sign_in, shot):
    page.goto("/login")
    page.click("[data-testid=lang-en]")
    sign_in("admin", display_name="Administrator Zhang")
    assert_one_line(menu_rows(page))
    shot(page, "admin_menu_en_1280")
