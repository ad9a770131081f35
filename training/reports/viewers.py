"""Who may open whose 成绩档案, and which scores they see.

HR, trainers and admins see every profile with every graded score. An employee sees their own,
and a team leader (组长) the profiles of the people in their department and its subtree — the
product has no manager link, and 组长 is the position the roster and the demo company give the
person who leads a team. Both see only the scores the exams' review policy already shows the
examinee (`profile_released`). Anyone else gets a 404: a profile's existence is not told.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal, select

from training.departments.services import is_within
from training.people.audience import in_subtree
from training.people.models import Department, User

TEAM_LEAD_POSITION = "组长"
SEES_EVERYONE = frozenset({"hr", "trainer", "admin"})


def leads_a_team(viewer: User) -> bool:
    return (viewer.position == TEAM_LEAD_POSITION and viewer.department is not None
            and viewer.active)


def led_by(viewer: User) -> ColumnElement[bool]:
    """SQL on User: the person is in the team leader's department subtree."""
    assert viewer.department is not None
    return User.department_id.in_(select(Department.id).where(
        in_subtree(Department.path, literal(viewer.department.path))))


def profile_builder(viewer: User, person: User) -> str | None:
    """The report builder that shows `person` to `viewer`, or None when it is not theirs."""
    if viewer.role_names & SEES_EVERYONE:
        return "profile"
    if viewer.id == person.id:
        return "profile_released"
    if leads_a_team(viewer) and person.department is not None and is_within(
            person.department, viewer.department):  # type: ignore[arg-type]
        return "profile_released"
    return None


def visible_people(viewer: User) -> list[ColumnElement[bool]] | None:
    """Criteria on User for the people list: none for HR and trainers, the team for a team
    leader; None when the viewer may list nobody."""
    if viewer.role_names & SEES_EVERYONE:
        return []
    if leads_a_team(viewer):
        return [led_by(viewer)]
    return None
