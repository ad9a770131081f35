"""The assignment panel and the examinee's due date, looked at in a browser."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.exams.conftest import drawn, make_exam, objective_only, paper, questions  # noqa: F401
from training.database import db, utcnow
from training.exams.services import assign_exam
from training.people.audience import targets
from training.people.services import ensure_department
from training.timezones import to_local

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots/audience")


def keep(path: Path) -> None:
    """Copy a screenshot where the reviewer looks (when that folder exists)."""
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


def test_the_trainer_adds_a_position_within_a_team_with_a_due_date(page, sign_in, make_user,
                                                                    make_exam, shot):  # noqa: F811
    for path, position in (("测试公司/客服中心/热线一组", "组长"), ("测试公司/客服中心/热线一组", "客服专员"),
                           ("测试公司/客服中心/热线一组", "客服专员"), ("测试公司/客服中心/热线二组", "组长"),
                           ("测试公司/客服中心/热线二组", "客服专员")):
        make_user(department_path=path, position=position)
    exam = make_exam(assign_root=False, title="季度服务规范考核")
    assign_exam(exam, targets([ensure_department("测试公司/客服中心").id], [], []), actor=None)
    db.session.commit()
    sign_in("trainer")
    page.goto(f"/exams/manage/{exam.id}#assign")
    panel = page.locator("#assign")
    panel.get_by_label("测试公司/客服中心/热线一组", exact=True).check()
    panel.get_by_label("组长", exact=True).check()
    day = to_local(utcnow()).date() + timedelta(days=14)
    panel.locator("#due_date").fill(day.isoformat())
    panel.get_by_role("button", name="添加考生").click()
    expect(page.locator("[data-testid=reach-total]")).to_contain_text("合计覆盖 5 人")
    reach = page.locator("[data-testid=assignment-reach]").all_inner_texts()
    assert reach == ["覆盖 5 人", "覆盖 1 人"]
    expect(page.locator("[data-testid=assignments]")).to_contain_text(f"截止 {day.isoformat()}")
    keep(shot(page, "exam_assignment_panel"))


def test_the_employee_task_list_shows_due_dates_and_marks_the_overdue(
    page, sign_in, make_exam, objective_only, shot  # noqa: F811
):
    now = utcnow()
    user = sign_in("employee", position="组长", department_path="测试公司/客服中心/热线一组")
    late = make_exam(assign_root=False, title="投诉处理专项考核", review_when="immediately")
    soon = make_exam(assign_root=False, title="季度服务规范考核", review_when="immediately")
    assign_exam(late, targets([], ["组长"], []), now - timedelta(days=1), actor=None,
                now=now - timedelta(days=3))
    assign_exam(soon, targets([user.department_id], ["组长"], []), now + timedelta(days=6),
                actor=None)
    db.session.commit()
    page.goto("/")
    tasks = page.locator("[data-testid=task-exam]")
    expect(tasks).to_have_count(2)
    expect(tasks.first).to_have_attribute("data-overdue", "true")
    expect(tasks.first).to_contain_text("已逾期")
    expect(tasks.nth(1)).to_have_attribute("data-overdue", "false")
    assert re.search(r"截止 \d{4}-\d{2}-\d{2}", tasks.nth(1).inner_text())
    keep(shot(page, "employee_tasks"))
    page.goto("/exams/")
    keep(shot(page, "my_exams"))
