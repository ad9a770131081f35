"""The home page uses the desktop's width: one role's panel spans it, two roles share a row."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def share_of_width(page, testid: str) -> float:
    """The panel's width as a share of the page's content column."""
    return page.evaluate(
        """id => document.querySelector(`[data-testid=${id}]`).getBoundingClientRect().width
               / document.querySelector('main').getBoundingClientRect().width""",
        testid,
    )


@pytest.mark.parametrize(
    ("role", "panel"),
    [("employee", "panel-employee"), ("trainer", "panel-trainer"), ("hr", "panel-hr"),
     ("admin", "panel-admin")],
)
def test_a_single_role_panel_spans_the_page(page, sign_in, role, panel):
    sign_in(role)
    assert share_of_width(page, panel) > 0.9


def test_two_roles_share_a_row_side_by_side(page, sign_in, shot):
    sign_in("employee", "trainer")
    employee = page.locator("[data-testid=panel-employee]").bounding_box()
    trainer = page.locator("[data-testid=panel-trainer]").bounding_box()
    assert employee["y"] == trainer["y"] and employee["x"] < trainer["x"]
    assert 0.4 < share_of_width(page, "panel-employee") < 0.55
    shot(page, "employee_and_trainer")
