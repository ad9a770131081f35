"""The top menu as people see it: one line on every desktop width, folded on a phone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def menu_rows(page) -> dict[str, float]:
    """The navbar's height and how many distinct rows its top-level entries sit on."""
    return page.evaluate(
        """() => {
            const bar = document.querySelector('nav.navbar').getBoundingClientRect();
            const links = [...document.querySelectorAll('#mainnav > .navbar-nav > .nav-item > .nav-link')];
            const tops = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
            const tallest = Math.max(...links.map(a => a.getBoundingClientRect().height));
            return {height: bar.height, rows: tops.size, tallest: tallest};
        }"""
    )


def open_menu(page, label: str) -> None:
    page.locator("[data-testid=nav-menu] > .dropdown-toggle", has_text=label).click()


@pytest.mark.parametrize("width", [1280, 1366, 1440, 1920])
def test_admin_menu_stays_one_line_on_desktop_widths(page, sign_in, shot, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in("admin")
    bar = menu_rows(page)
    assert bar["rows"] == 1, bar
    assert bar["tallest"] < 48, bar  # a label broken over several lines is taller
    assert bar["height"] < 80, bar
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
