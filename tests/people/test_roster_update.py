"""Re-importing HR's sheet: each row previewed as new / changed / unchanged / leaving, written
all or none, leavers closed, every problem of a row shown together, every write audited."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.roster_files import roster_xlsx
from training.audit.models import AuditEvent
from training.database import db
from training.errors import DomainError
from training.people.leaving import close_leavers
from training.people.models import User
from training.people.roster import parse_roster
from training.people.roster_update import RowKind, apply_roster, plan_roster
from training.people.services import set_active

TODAY = date(2026, 12, 5)
HOTLINE = "示范公司/客服中心/热线一组"
COMPLAINTS = "示范公司/客服中心/投诉组"
PASSWORD = "Welcome-Aboard-26"


@pytest.fixture
def staff(make_user):
    """Three employees HR's sheet already knows, and an administrator set up by hand."""
    make_user(employee_no="E1", username="e1", display_name="张三", department_path=HOTLINE,
              position="客服专员", phone="13800000001", hire_date=date(2024, 3, 1))
    make_user(employee_no="E2", username="e2", display_name="李四", department_path=HOTLINE,
              position="客服专员")
    make_user(employee_no="E3", username="e3", display_name="王五", department_path=HOTLINE,
              position="客服专员")
    return make_user(roles=("admin",), employee_no=None, username="root")


def sheet(*rows: list[object]):
    return parse_roster(roster_xlsx(rows), "monthly.xlsx")


def account(number: str) -> User:
    user = db.session.scalar(select(User).filter_by(employee_no=number))
    assert user is not None
    return user


MONTHLY = [
    ["E1", "张三", COMPLAINTS, "组长", "", "13900000009", ""],  # moved, new phone
    ["E2", "李四", HOTLINE, "客服专员", "", "", ""],  # as it was
    ["E3", "王五", HOTLINE, "客服专员", "", "", "2026-11-30"],  # left last week
    ["E4", "赵六", HOTLINE, "培训师", "2026-12-01", "", ""],  # joined
    ["E5", "钱七", HOTLINE, "客服专员", "2026-01-01", "", "2026-12-31"],  # joins, leaves later
    ["E6", "孙八", HOTLINE, "客服专员", "2025-01-01", "", "2026-10-31"],  # gone, never here
]


def test_preview_says_what_each_row_does(app, staff):
    plan = plan_roster(sheet(*MONTHLY), today=TODAY)
    kinds = {row.employee_no: row.kind for row in plan.rows}
    assert kinds == {"E1": RowKind.CHANGED, "E2": RowKind.UNCHANGED, "E3": RowKind.LEAVING,
                     "E4": RowKind.NEW, "E5": RowKind.NEW, "E6": RowKind.SKIPPED}
    changed = {c.field: (c.old, c.new) for c in plan.rows[0].changes}
    assert changed == {"department": (HOTLINE, COMPLAINTS), "position": ("客服专员", "组长"),
                       "phone": ("13800000001", "13900000009")}  # blank 入职日期 keeps 2024-03-01
    leaving = plan.rows[2]
    assert leaving.closes_now and [c.field for c in leaving.changes] == ["leaving_date"]
    assert plan.new_departments == [COMPLAINTS]
    assert plan.counts() == {"new": 2, "changed": 1, "unchanged": 1, "leaving": 1, "skipped": 1}


def test_apply_writes_changes_and_closes_leavers(app, staff):
    apply_roster(plan_roster(sheet(*MONTHLY), today=TODAY), PASSWORD, actor=staff)
    db.session.commit()
    moved = account("E1")
    assert (moved.department.path, moved.position, moved.phone) == (COMPLAINTS, "组长", "13900000009")
    assert moved.hire_date == date(2024, 3, 1) and moved.active
    assert not account("E3").active and account("E3").leaving_date == date(2026, 11, 30)
    assert account("E4").has_role("trainer") and account("E4").must_change_password
    later = account("E5")
    assert later.active and later.leaving_date == date(2026, 12, 31)
    assert db.session.scalar(select(User).filter_by(employee_no="E6")) is None


def test_roles_only_grow_and_closed_accounts_stay_closed(app, staff, make_user):
    make_user(roles=("employee", "trainer"), employee_no="E7", display_name="周九",
              department_path=HOTLINE, position="讲师")
    account("E2").active = False
    db.session.commit()
    rows = [["E7", "周九", HOTLINE, "客服专员", "", "", ""], ["E2", "李四", HOTLINE, "客服专员"]]
    plan = plan_roster(sheet(*rows), today=TODAY)
    assert [c.field for c in plan.rows[0].changes] == ["position"]  # trainer is kept
    apply_roster(plan, "", actor=staff)  # nobody new: no initial password needed
    assert account("E7").role_names == {"employee", "trainer"}
    assert not account("E2").active


def test_a_bad_row_changes_nothing(app, staff):
    rows = [*MONTHLY, ["E9", "坏行", HOTLINE, "宇航员", "", "", ""]]
    plan = plan_roster(sheet(*rows), today=TODAY)
    with pytest.raises(DomainError):
        apply_roster(plan, PASSWORD, actor=staff)
    db.session.rollback()
    assert account("E1").department.path == HOTLINE and account("E3").active
    assert db.session.scalar(select(func.count(User.id))) == 4


def test_whole_roster_closes_accounts_missing_from_the_sheet(app, staff):
    rows = [["E1", "张三", HOTLINE, "客服专员", "", "", ""]]
    plan = plan_roster(sheet(*rows), whole_roster=True, actor=staff, today=TODAY)
    missing = [row.employee_no for row in plan.of_kind(RowKind.LEAVING)]
    assert missing == ["E2", "E3"]  # not the hand-made admin without a 工号
    apply_roster(plan, "", actor=staff)
    assert not account("E2").active and account("E2").leaving_date == TODAY
    assert account("E1").active and db.session.get(User, staff.id).active
    narrow = plan_roster(sheet(*rows), actor=staff, today=TODAY)
    assert narrow.of_kind(RowKind.LEAVING) == []


def test_a_future_leaving_date_closes_the_account_on_that_day(app, staff):
    rows = [["E1", "张三", HOTLINE, "客服专员", "", "", "2026-12-31"]]
    apply_roster(plan_roster(sheet(*rows), today=TODAY), "", actor=staff)
    db.session.commit()
    assert close_leavers(datetime(2026, 12, 30, 15, 0)) == 0  # 23:00 on the 30th in Shanghai
    assert account("E1").active
    assert close_leavers(datetime(2026, 12, 30, 16, 30)) == 1  # 00:30 on the 31st
    assert not account("E1").active
    event = db.session.scalars(
        select(AuditEvent).filter_by(action="user.deactivated", target_id=account("E1").id)
    ).one()
    assert event.actor_id is None and event.details["leaving_date"] == "2026-12-31"


def test_problems_of_a_row_are_together_and_in_row_order(app, staff, make_user):
    make_user(employee_no=None, username="n2")  # row 2's 工号 is another account's login
    rows = [
        ["N2", "甲", HOTLINE, "客服专员", "", "", ""],
        ["N3", "", HOTLINE, "宇航员", "2025-02-30", "abc", ""],
        ["N4", "丙", HOTLINE, "客服专员", "2026-01-01", "", "2025-12-31"],
    ]
    plan = plan_roster(sheet(*rows), today=TODAY)
    grouped = plan.roster.problems_by_row()
    assert list(grouped) == [2, 3, 4]  # the login clash was found last, shown first
    assert [p.column for p in grouped[3]] == ["姓名", "岗位/角色", "入职日期", "手机"]
    assert "离职日期早于入职日期" in grouped[4][0].message


def test_import_is_audited_per_account(app, staff):
    apply_roster(plan_roster(sheet(*MONTHLY), today=TODAY), PASSWORD, actor=staff)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    by_action: dict[str, list[AuditEvent]] = {}
    for event in events:
        if event.actor_id == staff.id:
            by_action.setdefault(event.action, []).append(event)
    moved = by_action["user.roster_updated"][0]
    assert moved.target_id == account("E1").id
    assert moved.details["changes"]["department"] == [HOTLINE, COMPLAINTS]
    closed = by_action["user.deactivated"][0]
    assert closed.target_id == account("E3").id and closed.details["reason"] == "leaving_date"
    assert len(by_action["user.created"]) == 2
    summary = by_action["user.roster_imported"][0]
    assert summary.details["changed"] == 1 and summary.details["leaving"] == 1


def _upload(client, rows, **form):
    response = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(roster_xlsx(rows)), "monthly.xlsx"), **form},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return response.headers["Location"]


def test_preview_page_shows_old_and_new_and_commits(app, client, login_as, staff):
    login_as("admin")
    rows = [["E1", "张三", COMPLAINTS, "客服专员", "", "", ""], ["E2", "李四", HOTLINE, "客服专员"]]
    preview_url = _upload(client, rows, whole_roster="y")
    assert "whole=1" in preview_url
    page = client.get(preview_url).get_data(as_text=True)
    kinds = re.findall(r'data-testid="roster-row" data-kind="(\w+)"', page)
    assert kinds == ["changed", "leaving", "unchanged"]  # E3 missing from the whole roster
    change = re.search(r'data-field="department">(.*?)</li>', page, re.S).group(1)
    assert HOTLINE in change and COMPLAINTS in change and "新部门" in change
    assert 'name="initial_password"' not in page  # nobody new
    done = client.post(preview_url, data={}, follow_redirects=True).get_data(as_text=True)
    assert "已导入：新增 0 人，更新 1 人，离职 1 人" in done
    assert account("E1").department.path == COMPLAINTS and not account("E3").active


def test_reactivating_a_leaver_keeps_the_sweep_from_closing_them_again(app, staff):
    rows = [["E1", "张三", HOTLINE, "客服专员", "", "", "2026-11-30"]]
    apply_roster(plan_roster(sheet(*rows), today=TODAY), "", actor=staff)
    set_active(account("E1"), True, actor=staff)  # rehired
    assert account("E1").leaving_date is None
    assert close_leavers(datetime(2026, 12, 5, 4, 0)) == 0 and account("E1").active


def test_the_user_form_sets_and_cancels_a_leaving_date(app, client, login_as, staff):
    login_as("admin")
    user = account("E2")
    form = {"username": "e2", "display_name": "李四", "employee_no": "E2", "roles": "employee",
            "department_id": user.department_id, "leaving_date": "2026-12-31"}
    client.post(f"/admin/users/{user.id}", data=form)
    assert account("E2").leaving_date == date(2026, 12, 31)
    client.post(f"/admin/users/{user.id}", data={**form, "leaving_date": ""})
    assert account("E2").leaving_date is None
