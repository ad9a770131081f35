"""The list of people whose 成绩档案 a viewer may open: everyone for HR and trainers (narrowed by
department and position), the team for a team leader."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select

from training.people.audience import LEARNER_ROLE
from training.people.models import Department, User, UserRole
from training.reports.filters import Filters
from training.reports.scope import people


def people_page(filters: Filters, visible: list[ColumnElement[bool]]) -> Select[tuple[User]]:
    """SQL: the active learners the viewer may see, in department and 工号 order."""
    return (
        select(User).outerjoin(Department, Department.id == User.department_id)
        .where(User.active.is_(True), User.roles.any(UserRole.role == LEARNER_ROLE),
               *people(filters), *visible)
        .order_by(Department.path, User.employee_no, User.username)
    )
