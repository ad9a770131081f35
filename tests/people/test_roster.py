"""Reading HR's roster: every problem with its row and column, nothing written on error."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.roster_files import HEADER, bad_rows, good_rows, roster_xlsx
from training.database import db
from training.errors import DomainError
from training.people.models import Department, User
from training.people.roster import parse_roster, template_xlsx
from training.people.roster_update import apply_roster, plan_roster


def problems(roster) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in roster.problems]


def test_good_xlsx_rows_are_read(app):
    roster = parse_roster(roster_xlsx(good_rows(3)), "staff.xlsx")
    assert roster.ok and roster.total_rows == 3
    first = roster.rows[0]
    assert (first.row, first.employee_no, first.name) == (2, "N2000", "新员工0")
    assert first.roles == {"employee"} and first.position == "组长"
    assert first.hire_date == date(2025, 1, 1)


def test_bad_file_reports_each_problem_with_row_and_column(app):
    roster = parse_roster(roster_xlsx(bad_rows()), "bad.xlsx")
    assert problems(roster) == [(3, "工号"), (4, "岗位/角色"), (5, "入职日期")]
    assert "与第 2 行重复" in roster.problems[0].message
    assert "宇航员" in roster.problems[1].message


def test_gbk_csv_with_alternative_headers(app):
    text = "员工编号,姓名,部门,角色,入职日期\nC01,王五,总部/客服部,培训师、客服专员,2024年3月5日\n"
    roster = parse_roster(text.encode("gbk"), "hr.csv")
    assert roster.ok
    assert roster.rows[0].roles == {"trainer", "employee"}
    assert roster.rows[0].hire_date == date(2024, 3, 5)


def test_missing_columns_are_named(app):
    roster = parse_roster(roster_xlsx([["1", "x"]], header=["工号", "姓名"]), "x.xlsx")
    assert problems(roster) == [(1, None)]
    assert "部门" in roster.problems[0].message and "岗位/角色" in roster.problems[0].message


def test_empty_cells_and_bad_phone(app):
    rows = [["", "无工号", "总部", "客服专员", "", ""], ["E9", "", "总部", "客服专员", "", "abc"]]
    roster = parse_roster(roster_xlsx(rows), "x.xlsx")
    assert problems(roster) == [(2, "工号"), (3, "姓名"), (3, "手机")]


def test_unreadable_file_is_one_problem_not_a_crash(app):
    roster = parse_roster(b"PK\x03\x04 definitely not a workbook", "broken.xlsx")
    assert len(roster.problems) == 1 and roster.problems[0].row is None


def test_employee_number_used_as_another_accounts_login_is_a_problem(app, make_user):
    make_user(employee_no=None, username="n2001")
    plan = plan_roster(parse_roster(roster_xlsx(good_rows(3)), "x.xlsx"))
    assert problems(plan.roster) == [(3, "工号")]
    assert "用作登录名" in plan.roster.problems[0].message


def test_import_creates_users_and_departments_all_or_nothing(app):
    plan = plan_roster(parse_roster(roster_xlsx(good_rows(6)), "x.xlsx"))
    assert apply_roster(plan, "Welcome-Aboard-26")["new"] == 6
    db.session.commit()
    users = list(db.session.scalars(select(User).order_by(User.employee_no)))
    assert len(users) == 6
    assert all(u.must_change_password and u.check_password("Welcome-Aboard-26") for u in users)
    paths = set(db.session.scalars(select(Department.path)))
    assert {
        "示范公司",
        "示范公司/客服中心",
        "示范公司/客服中心/热线一组",
        "示范公司/华北客服中心/热线组",
    } <= paths
    assert db.session.get(User, users[0].id).username == "N2000"


def test_import_with_one_bad_row_creates_nobody(app):
    rows = good_rows(5) + [["N9999", "坏行", "总部", "宇航员", "", ""]]
    with pytest.raises(DomainError):
        apply_roster(plan_roster(parse_roster(roster_xlsx(rows), "x.xlsx")), "Welcome-Aboard-26")
    db.session.rollback()
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_template_has_the_expected_headers(app):
    roster = parse_roster(template_xlsx(), "模板.xlsx")
    assert roster.ok and roster.rows[0].name == "张三"
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(template_xlsx())).active
    assert [c.value for c in sheet[1]] == HEADER
