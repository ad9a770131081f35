"""The HR status board: counts per department subtree and level that reconcile with the status
rows, the drill-down listing exactly the people counted, the Excel export of the same numbers
and the chart; HR only."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.certification.page_factories import set_status, stored_level
from training.certification.models import CertStatus
from training.certification.queries import BUCKETS, status_board
from training.database import db, utcnow
from training.people.models import Department
from training.timezones import local_day

TEAM_A = "公司/客服中心/一组"
TEAM_B = "公司/客服中心/二组"
OTHER = "公司/投诉中心"


@pytest.fixture
def today(app):
    return local_day(utcnow())


@pytest.fixture
def floor(make_user, today):
    """Two levels over three teams: every bucket filled somewhere, one leaver not counted."""
    junior = stored_level("junior", "初级客服专员", sort_order=1)
    senior = stored_level("senior", "高级客服专员", sort_order=2)
    people = {}

    def person(name, department, *statuses, active=True):
        user = make_user(display_name=name, department_path=department)
        for level, status, days in statuses:
            set_status(user, level, status, None if days is None else today + timedelta(days=days))
        if not active:
            user.active = False
            db.session.commit()
        people[name] = user
        return user

    person("甲", TEAM_A, (junior, "certified", 200), (senior, "in_progress", None))
    person("乙", TEAM_A, (junior, "expiring", 20), (senior, "not_started", None))
    person("丙", TEAM_A, (junior, "certified", 45), (senior, "revoked", None))
    person("丁", TEAM_B, (junior, "expired", -3), (senior, "not_started", None))
    person("戊", TEAM_B, (junior, "certified", None))
    person("己", OTHER, (junior, "in_progress", None))
    person("离职", TEAM_B, (junior, "certified", 10), active=False)
    return junior, senior, people


def _cell(html: str, department: str, level: str, bucket: str) -> int:
    """The number shown in a board cell (the row's data-department, the cell's level and bucket)."""
    if department == "total":
        row = re.search(r'data-testid="board-total">(.*?)</tr>', html, re.S).group(1)
    else:
        row = re.search(rf'data-department="{re.escape(department)}">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(rf'data-level="{level}" data-bucket="{bucket}">\s*<a[^>]*>(\d+)</a>', row)
    return int(cell.group(1))


def test_board_counts_reconcile_with_status_rows(client, login_as, floor, today):
    junior, senior, _people = floor
    login_as("hr")
    html = client.get("/certification/board").get_data(as_text=True)
    assert _cell(html, "total", "junior", "certified") == 4  # 甲 乙 丙 戊; the leaver is not counted
    assert _cell(html, "total", "junior", "expiring_30") == 1  # 乙 (20 days)
    assert _cell(html, "total", "junior", "expiring_60") == 2  # 乙 and 丙 (45 days)
    assert _cell(html, "total", "junior", "expired") == 1
    assert _cell(html, "total", "junior", "in_progress") == 1
    assert _cell(html, "total", "senior", "not_started") == 2
    # the subtree rolls up: the center is its two teams, the company everything
    assert _cell(html, TEAM_A, "junior", "certified") == 3
    assert _cell(html, "公司/客服中心", "junior", "certified") == 4
    assert _cell(html, "公司", "junior", "in_progress") == 1
    # every active status row is in exactly one of the partitioning buckets
    board = status_board(today)
    for level in (junior, senior):
        rows = db.session.scalar(select(func.count(CertStatus.id)).join(CertStatus.user)
                                 .where(CertStatus.level_id == level.id,
                                        CertStatus.user.has(active=True)))
        assert board.totals[level.id].total == rows


def test_department_filter_limits_the_board_to_a_subtree(client, login_as, floor):
    login_as("hr")
    team_b = db.session.scalar(select(Department).filter_by(path=TEAM_B))
    html = client.get(f"/certification/board?department={team_b.id}").get_data(as_text=True)
    assert _cell(html, "total", "junior", "certified") == 1  # 戊
    assert _cell(html, "total", "junior", "expired") == 1  # 丁
    assert TEAM_A not in html.split('data-testid="board"')[1]


def test_drill_down_lists_exactly_the_people_counted(client, login_as, floor):
    junior, _senior, people = floor
    login_as("hr")
    html = client.get(f"/certification/board/people?level={junior.id}&bucket=expiring_60"
                      ).get_data(as_text=True)
    assert html.count('data-testid="person"') == 2
    assert "乙" in html and "丙" in html and "甲" not in html
    assert f"/certification/people/{people['乙'].id}" in html
    center = db.session.scalar(select(Department).filter_by(path="公司/客服中心"))
    html = client.get(f"/certification/board/people?level={junior.id}&bucket=certified"
                      f"&department={center.id}").get_data(as_text=True)
    assert html.count('data-testid="person"') == 4 and "离职" not in html
    assert client.get(f"/certification/board/people?level={junior.id}&bucket=nonsense"
                      ).status_code == 404


def test_excel_export_has_the_same_numbers(client, login_as, floor, today):
    junior, senior, _people = floor
    login_as("hr")
    response = client.get("/certification/board.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("部门", "认证等级") and rows[0][-1] == "合计"
    by_key = {(row[0], row[1]): row[2:] for row in rows[1:]}
    board = status_board(today)
    for level in (junior, senior):
        counts = board.totals[level.id]
        assert list(by_key[("合计", level.name)]) == [counts[b] for b in BUCKETS] + [counts.total]
    assert by_key[(TEAM_A, "初级客服专员")][0] == 3
    assert by_key[("公司/客服中心", "初级客服专员")][BUCKETS.index("expiring_60")] == 2


def test_chart_is_an_svg_of_the_levels_without_scripts(client, login_as, floor):
    login_as("hr")
    page = client.get("/certification/board").get_data(as_text=True)
    assert 'src="/certification/board.svg"' in page
    response = client.get("/certification/board.svg")
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "初级客服专员" in svg and "高级客服专员" in svg and "<script" not in svg


@pytest.mark.parametrize("path", ["/certification/board", "/certification/board.xlsx",
                                  "/certification/board.svg", "/certification/levels",
                                  "/certification/levels/new"])
def test_employees_and_trainers_cannot_open_hr_pages(client, login_as, path):
    login_as("employee", "trainer")
    assert client.get(path).status_code == 403


def test_board_query_count_does_not_grow_with_people(client, login_as, floor, make_user,
                                                     count_queries, today):
    junior, _senior, _people = floor
    login_as("hr")
    client.get("/certification/board")
    with count_queries() as before:
        client.get("/certification/board")
    for _ in range(5):
        set_status(make_user(department_path=TEAM_B), junior, "certified", today + timedelta(days=300))
    with count_queries() as after:
        client.get("/certification/board")
    assert after.count == before.count
