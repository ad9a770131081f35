"""Due dates on exam assignments: set by the trainer, shown to the examinee, overdue in SQL.

Overdue means the earliest due date among the assignments reaching someone has passed and the
exam's result under its grading method is not a pass (`ExamStatus.overdue`,
`overdue_examinees`); the examinee is not told while a result is withheld.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.exams.helpers import sit_exam
from tests.helpers import check_due_turns_overdue
from training.audit.models import AuditEvent
from training.database import db, utcnow
from training.exams.availability import exam_statuses, overdue_examinees
from training.exams.models import ExamAssignment
from training.exams.services import assign_exam
from training.people.audience import targets
from training.people.services import ensure_department
from training.timezones import end_of_local_day, to_local

PASS = {1: ["B"]}  # 2 of 7 points: a pass at pass mark 20
FAIL: dict = {}


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_trainer_assigns_a_position_with_a_due_date_and_sees_whom_it_reaches(
    client, login_as, make_user, make_exam
):
    make_user(department_path="测试公司/热线一组", position="组长")
    make_user(department_path="测试公司/热线二组", position="组长")
    make_user(department_path="测试公司/热线一组", position="客服专员")
    exam = make_exam(assign_root=False)
    login_as("trainer", position="讲师团队")
    edit = page(client.get(f"/exams/manage/{exam.id}"))
    assert 'value="组长"' in edit and 'value="客服专员"' in edit
    assert "讲师团队" not in edit  # a position only non-employees hold would reach nobody
    assert "尚未指定考生" in edit
    team = ensure_department("测试公司/热线一组")
    day = to_local(utcnow()).date() + timedelta(days=10)
    url = f"/exams/manage/{exam.id}/assign"
    client.post(url, data={"departments": [team.id], "positions": ["组长"], "due_date": day.isoformat()})
    client.post(url, data={"positions": ["客服专员", "组长"]})
    refused = page(client.post(url, data={"positions": ["不存在的岗位"]}, follow_redirects=True))
    assert "岗位须从列表中选择" in refused

    db.session.expire_all()
    assert {(a.department_id, a.position): a.due_at for a in exam.assignments} == {
        (team.id, "组长"): end_of_local_day(day), (None, "客服专员"): None, (None, "组长"): None}
    edit = page(client.get(f"/exams/manage/{exam.id}"))
    reach = re.findall(r'data-testid="assignment-reach">覆盖 (\d+) 人', edit)
    assert reach == ["1", "1", "2"]  # 热线一组 · 组长; 客服专员; 组长 anywhere
    assert "合计覆盖 3 人" in edit and f"截止 {day.isoformat()}" in edit

    position_only = next(a for a in exam.assignments if a.position == "组长" and not a.department_id)
    client.post(f"/exams/manage/{exam.id}/assignments/{position_only.id}/delete")
    db.session.expire_all()
    assert len(exam.assignments) == 2
    event = db.session.scalars(select(AuditEvent).filter_by(action="exam.unassigned")).one()
    assert event.details["targets"] == [{"department_id": None, "position": "组长", "user_id": None}]


def test_the_examinee_sees_the_due_date_then_overdue_until_they_pass(
    client, login_as, make_exam, objective_only
):
    exam = make_exam(assign_root=False, title="限期通过考试", review_when="immediately",
                     pass_mark=20, attempts_allowed=None)
    user = login_as("employee", position="组长")
    assign_exam(exam, targets([], ["组长"], []), utcnow() + timedelta(days=3), actor=None)
    db.session.commit()
    check_due_turns_overdue(client, exam.assignments[0], "/exams/", "/api/v1/exams")

    sit_exam(exam, user, FAIL)  # failed, retakes allowed: still owed, still overdue, still a task
    home = page(client.get("/"))
    assert 'data-testid="task-exam" data-overdue="true"' in home and "限期通过考试" in home

    sit_exam(exam, user, PASS)
    assert "已逾期" not in page(client.get("/exams/"))
    assert "限期通过考试" not in page(client.get("/"))


def test_overdue_in_sql_agrees_with_each_examinees_status(make_user, make_exam, objective_only):
    now = utcnow()
    past, future = now - timedelta(days=1), now + timedelta(days=5)
    shown = make_exam(assign_root=False, title="立即公布", review_when="immediately",
                      pass_mark=20, attempts_allowed=None)
    withheld = make_exam(assign_root=False, title="考后公布", review_when="after_close",
                         pass_mark=20, attempts_allowed=None)
    people = {name: make_user(position=name) for name in
              ("passer", "failer", "absent", "later", "undated", "twice", "retaker")}
    for exam in (shown, withheld):
        for name, due in (("passer", past), ("failer", past), ("absent", past), ("later", future),
                          ("twice", future), ("retaker", past)):
            assign_exam(exam, targets([], [name], []), due, actor=None, now=now - timedelta(days=2))
        assign_exam(exam, targets([], ["undated"], []), actor=None)
        assign_exam(exam, targets([], [], [people["twice"].id]), past, actor=None,
                    now=now - timedelta(days=2))  # the earliest of its two due dates counts
        db.session.commit()
        sit_exam(exam, people["passer"], PASS)
        sit_exam(exam, people["failer"], FAIL)
        sit_exam(exam, people["retaker"], FAIL)
        sit_exam(exam, people["retaker"], PASS)  # highest attempt counts: a pass
    now = utcnow()

    in_sql = {(row.exam_id, row.user_id): row.due_at for row in db.session.execute(
        overdue_examinees(now, ExamAssignment.exam_id.in_([shown.id, withheld.id])))}
    statuses = {(s.exam.id, user.id): s for user in people.values()
                for s in exam_statuses(user, now)}
    in_python = {key: s.due_at for key, s in statuses.items() if s.overdue}
    assert in_sql == in_python
    names = {user.id: name for name, user in people.items()}
    assert {(exam_id, names[user_id]) for exam_id, user_id in in_sql} == {
        (exam.id, name) for exam in (shown, withheld) for name in ("failer", "absent", "twice")}
    told = {(exam_id, names[user_id]) for (exam_id, user_id), s in statuses.items()
            if s.overdue_shown}
    assert told == {(shown.id, "failer"), (shown.id, "absent"), (shown.id, "twice"),
                    (withheld.id, "absent"), (withheld.id, "twice")}  # a withheld fail is not told
