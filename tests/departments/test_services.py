"""Shaping the department tree: rename, move, merge, delete-when-empty, each audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.roleplay.factories import saved_scenario
from training.audit.models import AuditEvent
from training.courses.models import CourseAssignment
from training.database import db
from training.departments.services import (
    create_department,
    delete_department,
    department_tree,
    merge_department,
    move_department,
    rename_department,
)
from training.errors import DomainError
from training.exams.availability import is_assigned
from training.exams.models import ExamAssignment
from training.exams.services import assign_exam
from training.people.audience import targets
from training.people.models import Department, User
from training.people.services import ensure_department
from training.roleplay.services import assign_scenario


def paths() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(Department.path)))


def last_event(action: str) -> AuditEvent:
    return db.session.scalars(
        select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id.desc())
    ).first()


@pytest.fixture
def admin(make_user):
    return make_user(roles=("admin",), department_path="示范公司/信息部")


def test_rename_rewrites_the_subtree_and_keeps_members(app, admin, make_user):
    agent = make_user(department_path="示范公司/客服中新/热线一组")
    center = agent.department.parent
    rename_department(center, " 客服中心 ", actor=admin)
    db.session.commit()
    assert paths() == ["示范公司", "示范公司/信息部", "示范公司/客服中心",
                       "示范公司/客服中心/热线一组"]
    assert db.session.get(User, agent.id).department.path == "示范公司/客服中心/热线一组"
    event = last_event("department.renamed")
    assert (event.actor_id, event.target_id) == (admin.id, center.id)
    assert event.details == {"before": "示范公司/客服中新", "after": "示范公司/客服中心"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [("", "部门名称不能为空"), ("客服/中心", "不能包含"), ("信息部", "已有名为“信息部”的部门"),
     ("x" * 101, "不能超过 100 个字符")],
)
def test_a_bad_new_name_is_refused_and_changes_nothing(app, admin, name, reason):
    center = ensure_department("示范公司/客服中心")
    db.session.commit()
    before = paths()
    with pytest.raises(DomainError, match=reason):
        rename_department(center, name, actor=admin)
    db.session.rollback()
    assert paths() == before


def test_move_takes_the_subtree_along(app, admin, make_user):
    agent = make_user(department_path="示范公司/华东/投诉组/夜班")
    team = agent.department.parent
    south = ensure_department("示范公司/华南")
    move_department(team, south, actor=admin)
    db.session.commit()
    assert "示范公司/华南/投诉组/夜班" in paths() and "示范公司/华东/投诉组" not in paths()
    assert db.session.get(User, agent.id).department.path == "示范公司/华南/投诉组/夜班"
    assert last_event("department.moved").details == {
        "before": "示范公司/华东/投诉组", "after": "示范公司/华南/投诉组"}
    move_department(db.session.get(Department, team.id), None, actor=admin)
    assert db.session.get(Department, team.id).path == "投诉组"


def test_move_refuses_cycles_clashes_and_staying_put(app, admin):
    team = ensure_department("示范公司/华东/投诉组")
    east = team.parent
    ensure_department("示范公司/华南/投诉组")
    south = ensure_department("示范公司/华南")
    with pytest.raises(DomainError, match="不能把部门移到它自己或它的下级部门之下"):
        move_department(east, team, actor=admin)
    with pytest.raises(DomainError, match="“示范公司/华南”下已有名为“投诉组”的部门"):
        move_department(team, south, actor=admin)
    with pytest.raises(DomainError, match="部门已经在“示范公司/华东”之下"):
        move_department(team, east, actor=admin)


def test_merging_a_typo_moves_people_teams_and_assignments(
    app, admin, make_user, make_exam, make_course
):
    """示范公司/客服中新/热线一组 was a typo of 示范公司/客服中心/热线一组."""
    typo_agent = make_user(department_path="示范公司/客服中新/热线一组")
    right_agent = make_user(department_path="示范公司/客服中心/热线一组")
    night = ensure_department("示范公司/客服中新/夜班组")
    typo, right = typo_agent.department.parent, right_agent.department.parent
    both = make_exam(assign_root=False, title="两边都安排的考试")
    assign_exam(both, targets([typo.id, right.id], [], []), actor=None)
    typo_only = make_exam(assign_root=False, title="只安排给笔误部门的考试")
    assign_exam(typo_only, targets([typo_agent.department.id], [], []), actor=None)
    course = make_course(assign=("示范公司/客服中新",))
    db.session.commit()
    typo_id, night_id = typo.id, night.id

    moved = merge_department(typo, right, actor=admin)
    db.session.commit()

    assert paths() == ["示范公司", "示范公司/信息部", "示范公司/客服中心",
                       "示范公司/客服中心/夜班组", "示范公司/客服中心/热线一组"]
    agent = db.session.get(User, typo_agent.id)
    assert agent.department_id == right_agent.department_id  # the same-named team merged
    assert db.session.get(Department, night_id).path == "示范公司/客服中心/夜班组"
    assert is_assigned(typo_only, agent) and is_assigned(both, agent)
    assert db.session.scalars(
        select(ExamAssignment.department_id).filter_by(exam_id=both.id)).all() == [right.id]
    assert db.session.scalars(
        select(CourseAssignment.department_id).filter_by(course_id=course.id)).all() == [right.id]
    assert moved == {"user": 1, "exam_assignment": 1, "course_assignment": 1}
    event = last_event("department.merged")
    assert (event.actor_id, event.target_id) == (admin.id, right.id)
    assert event.details["source"] == "示范公司/客服中新" and event.details["source_id"] == typo_id


def test_merge_into_itself_or_below_is_refused(app, admin):
    team = ensure_department("示范公司/华东/投诉组")
    with pytest.raises(DomainError, match="不能把部门合并到它自己或它的下级部门"):
        merge_department(team.parent, team, actor=admin)
    with pytest.raises(DomainError, match="不能把部门合并到它自己"):
        merge_department(team, team, actor=admin)


def test_delete_only_when_empty(app, admin, make_user, make_exam):
    agent = make_user(department_path="示范公司/华东/投诉组")
    team = agent.department
    east = team.parent
    exam = make_exam(assign_root=False)
    assign_exam(exam, targets([team.id], [], []), actor=None)
    db.session.commit()
    with pytest.raises(DomainError, match="还有 1 个下级部门。"):
        delete_department(east, actor=admin)
    with pytest.raises(DomainError,
                       match="“示范公司/华东/投诉组”不能删除：还有 1 名人员、1 项考试安排"):
        delete_department(team, actor=admin)
    assign_scenario(saved_scenario(), targets([team.id], [], []), actor=None)
    with pytest.raises(DomainError, match="1 项情景演练分配"):
        delete_department(team, actor=admin)
    db.session.rollback()

    spare = create_department("备用组", east, actor=admin)
    db.session.commit()
    spare_id = spare.id
    delete_department(spare, actor=admin)
    db.session.commit()
    assert db.session.get(Department, spare_id) is None
    event = last_event("department.deleted")
    assert event.target_id == spare_id and event.details == {"path": "示范公司/华东/备用组"}
    assert last_event("department.created").details == {"path": "示范公司/华东/备用组"}


def test_tree_counts_members_of_each_subtree(app, make_user):
    make_user(department_path="公司/华东/投诉组")
    make_user(department_path="公司/华东/投诉组")
    make_user(department_path="公司/华东")
    make_user(department_path="公司/华南")
    (company,) = department_tree()
    assert company.subtree_members == 4 and company.members == 0
    east, south = company.children
    assert (east.department.name, east.members, east.subtree_members) == ("华东", 1, 3)
    assert (south.department.name, south.subtree_members) == ("华南", 1)
