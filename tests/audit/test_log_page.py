"""The audit-log page: who did what and when, filtered, paginated, for administrators only."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from training.audit.models import AuditEvent
from training.database import db
from training.templating import ACTION_LABELS


def add_event(actor, action: str, at: datetime, **details) -> None:
    db.session.add(AuditEvent(actor_id=actor.id if actor else None, action=action, at=at,
                              details=details))
    db.session.commit()


def rows(client, query: str = "") -> list[str]:
    page = client.get(f"/admin/audit/{query}").get_data(as_text=True)
    return re.findall(r'data-testid="audit-row">(.*?)</tr>', page, re.S)


@pytest.mark.parametrize("role", ["employee", "trainer", "hr"])
def test_only_administrators_read_the_log(client, login_as, role):
    login_as(role)
    assert client.get("/admin/audit/").status_code == 403


def test_each_row_names_actor_action_target_and_details(client, login_as, make_user):
    admin = login_as("admin", display_name="管理员甲")
    client.post("/admin/users/new", data={"username": "zhang", "display_name": "张三",
                                          "roles": ["employee"], "password": "initial-pass-1"})
    created = next(r for r in rows(client) if "创建用户" in r)
    assert "管理员甲" in created and admin.username in created
    assert "用户 #" in created and "roles: employee" in created


def test_filters_by_actor_action_and_local_date_range(client, login_as, make_user):
    login_as("admin")
    wang = make_user(display_name="王五", username="wang5")
    li = make_user(display_name="李四", username="li4")
    db.session.query(AuditEvent).delete()
    db.session.commit()
    # 17:00 UTC on 1 March is 01:00 on 2 March in Shanghai.
    add_event(wang, "user.password_changed", datetime(2026, 3, 1, 17, 0))
    add_event(li, "user.password_changed", datetime(2026, 3, 1, 15, 0))
    add_event(wang, "exam.created", datetime(2026, 3, 5, 8, 0))
    add_event(None, "exam.attempt_auto_closed", datetime(2026, 3, 6, 8, 0))

    assert len(rows(client, "?actor=王")) == 2
    assert len(rows(client, "?actor=li4")) == 1
    assert len(rows(client, "?action=exam.created")) == 1
    on_the_2nd = rows(client, "?since=2026-03-02&until=2026-03-02")
    assert len(on_the_2nd) == 1 and "王五" in on_the_2nd[0]
    assert len(rows(client, "?until=2026-03-01")) == 1
    assert len(rows(client, "?since=2026-03-05")) == 2
    system = rows(client, "?action=exam.attempt_auto_closed")
    assert len(system) == 1 and "系统" in system[0] and "到时自动收卷" in system[0]
    assert rows(client, "?actor=王&action=exam.created&since=2026-03-05&until=2026-03-05")


def test_a_backwards_date_range_is_explained_not_applied(client, login_as):
    login_as("admin")
    page = client.get("/admin/audit/?since=2026-03-05&until=2026-03-01").get_data(as_text=True)
    assert "结束日期不能早于开始日期" in page
    assert 'data-testid="audit-row"' in page  # the admin's own sign-in is still listed


def test_the_log_paginates_with_a_constant_number_of_queries(
    client, login_as, make_user, count_queries
):
    login_as("admin")
    actor = make_user()
    for n in range(30):
        add_event(actor, "user.updated", datetime(2026, 3, 1, 8, n))
    with count_queries() as few:
        client.get("/admin/audit/")
    for n in range(30):
        add_event(make_user(), "user.updated", datetime(2026, 3, 2, 8, n))
    with count_queries() as many:
        page = client.get("/admin/audit/").get_data(as_text=True)
    assert many.count == few.count
    assert "下一页" in page


def test_every_recorded_action_has_a_label(app):
    """The log shows words, not codes: each action name a service records has a label."""
    source = "\n".join(p.read_text("utf-8") for p in Path("training").rglob("*.py"))
    recorded = set(re.findall(r'record\(\s*\w+,\s*"([a-z_]+\.[a-z_.]+)"', source))
    assert len(recorded) > 20
    assert sorted(recorded - set(ACTION_LABELS)) == []


def test_details_read_as_words_not_python(client, login_as):
    admin = login_as("admin")
    add_event(admin, "department.merged", datetime(2026, 3, 1, 8, 0),
              source="示范公司/客服中新", moved={"user": 2, "exam_assignment": 1},
              roles=["employee", "trainer"])
    (row,) = rows(client, "?action=department.merged")
    assert "moved: user 2，exam_assignment 1" in row
    assert "roles: employee、trainer" in row and "{" not in row and "[" not in row
