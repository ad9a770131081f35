"""The menu's grouping: drop-downs per role group only when a user has several groups."""

from __future__ import annotations

import pytest

from training.navigation import NavMenu, nav_for, register_nav


def labels(entries) -> list[str]:
    return [
        str(e.label) + ("▾" + ",".join(str(i.label) for i in e.items) if isinstance(e, NavMenu) else "")
        for e in entries
    ]


def test_admin_gets_one_drop_down_per_group(app):
    with app.test_request_context():
        entries = labels(nav_for(frozenset({"admin"})))
    assert entries[:2] == ["首页", "服务手册"]
    assert [e.split("▾")[0] for e in entries[2:]] == ["学习", "教学", "管理"]
    assert "用户管理" in entries[-1] and "题库" in entries[3]


@pytest.mark.parametrize(
    ("role", "shown"),
    [("employee", "我的课程"), ("trainer", "题库"), ("hr", "报表")],  # read confirmations moved into 报表 · 学习情况
)
def test_a_single_role_keeps_its_entries_flat(app, role, shown):
    with app.test_request_context():
        entries = nav_for(frozenset({role}))
    assert not any(isinstance(e, NavMenu) for e in entries)
    assert shown in [str(e.label) for e in entries]


def test_a_trainer_who_also_learns_gets_two_drop_downs(app):
    with app.test_request_context():
        entries = labels(nav_for(frozenset({"employee", "trainer"})))
    assert [e.split("▾")[0] for e in entries] == ["首页", "服务手册", "学习", "教学"]


def test_an_unknown_group_is_refused_at_registration():
    with pytest.raises(ValueError, match="unknown navigation group"):
        register_nav("home.index", "x", "house", group="elsewhere")
