"""The department tree's shape: create, rename, move, merge, delete — each audited.

A department's `path` spells its ancestors ("示范公司/客服中心/热线一组"), so renaming or moving
one rewrites the paths of its whole subtree. Merging a department into another re-points every
row that refers to it; those rows are found from the schema's foreign keys, so a feature that
adds a department column later is merged (and blocks deletion) without a change here.
Services flush; the caller commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, UniqueConstraint, delete, exists, func, select, update

from training.audit.services import record
from training.database import db
from training.errors import Conflict, DomainError
from training.people.models import DEPARTMENT_SEPARATOR, Department, User

MAX_NAME_LENGTH = 100
MAX_PATH_LENGTH = 500
_SEPARATORS = re.compile(r"[/／>＞\\]")  # what split_department_path treats as a level break

# How a table's rows that still point at a department are counted in a refusal.
REFERENCE_LABELS = {
    "user": _l("%(n)d 名人员"),
    "exam_assignment": _l("%(n)d 项考试安排"),
    "course_assignment": _l("%(n)d 项课程安排"),
    "scenario_assignment": _l("%(n)d 项情景演练分配"),
}


@dataclass
class DepartmentNode:
    """One department in the tree page, with head-counts for it and everything below it."""

    department: Department
    members: int = 0
    subtree_members: int = 0
    children: list[DepartmentNode] = field(default_factory=list)


def department_tree() -> list[DepartmentNode]:
    """The whole tree (roots first, children by name) with its head-counts, in two queries."""
    counts = dict(db.session.execute(
        select(User.department_id, func.count()).where(User.department_id.is_not(None))
        .group_by(User.department_id)
    ).all())
    nodes = {
        d.id: DepartmentNode(d, counts.get(d.id, 0))
        for d in db.session.scalars(select(Department).order_by(Department.path))
    }
    roots: list[DepartmentNode] = []
    for node in nodes.values():  # by path: a parent always comes before its children
        parent = nodes.get(node.department.parent_id or 0)
        (parent.children if parent else roots).append(node)
    for node in reversed(nodes.values()):  # children before parents: subtotals bubble up
        node.subtree_members = node.members + sum(c.subtree_members for c in node.children)
    return roots


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise DomainError(_("部门名称不能为空"))
    if _SEPARATORS.search(name):
        raise DomainError(_("部门名称不能包含 / > \\ 等层级分隔符"))
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(_("部门名称不能超过 %(n)d 个字符", n=MAX_NAME_LENGTH))
    return name


def _path(parent: Department | None, name: str) -> str:
    return f"{parent.path}{DEPARTMENT_SEPARATOR}{name}" if parent else name


def _find(path: str) -> Department | None:
    return db.session.scalar(select(Department).filter_by(path=path))


def _descendants(department: Department) -> list[Department]:
    prefix = department.path + DEPARTMENT_SEPARATOR
    return list(db.session.scalars(select(Department).where(Department.path.startswith(prefix))))


def _children(department: Department) -> list[Department]:
    return list(db.session.scalars(
        select(Department).where(Department.parent_id == department.id).order_by(Department.name)
    ))


def _refuse_taken(parent: Department | None, name: str) -> None:
    if _find(_path(parent, name)) is not None:
        where = parent.path if parent else _("顶层")
        raise Conflict(_("“%(parent)s”下已有名为“%(name)s”的部门", parent=where, name=name))


def _place(department: Department, parent: Department | None, name: str) -> None:
    """Give `department` a new parent and/or name, rewriting the paths of its subtree."""
    old, new = department.path, _path(parent, name)
    below = _descendants(department)
    longest = max([len(d.path) for d in below] + [len(old)]) - len(old) + len(new)
    if longest > MAX_PATH_LENGTH:
        raise DomainError(_("部门层级路径过长（最多 %(n)d 个字符）", n=MAX_PATH_LENGTH))
    for descendant in below:
        descendant.path = new + descendant.path[len(old):]
    department.name, department.parent, department.path = name, parent, new
    db.session.flush()


def is_within(department: Department, ancestor: Department) -> bool:
    """`department` is `ancestor` itself or somewhere below it."""
    return department.id == ancestor.id or department.path.startswith(
        ancestor.path + DEPARTMENT_SEPARATOR
    )


def create_department(name: str, parent: Department | None, *, actor: Any) -> Department:
    """Add an empty department under `parent` (None: a new top-level company)."""
    name = _clean_name(name)
    _refuse_taken(parent, name)
    if len(_path(parent, name)) > MAX_PATH_LENGTH:
        raise DomainError(_("部门层级路径过长（最多 %(n)d 个字符）", n=MAX_PATH_LENGTH))
    department = Department(name=name, parent=parent, path=_path(parent, name))
    db.session.add(department)
    record(actor, "department.created", department, path=department.path)
    return department


def rename_department(department: Department, name: str, *, actor: Any) -> None:
    """Rename in place: members, assignments and the subtree stay where they are."""
    name = _clean_name(name)
    if name == department.name:
        raise DomainError(_("新名称与原名称相同"))
    _refuse_taken(department.parent, name)
    before = department.path
    _place(department, department.parent, name)
    record(actor, "department.renamed", department, before=before, after=department.path)


def move_department(department: Department, parent: Department | None, *, actor: Any) -> None:
    """Hang the department (with its subtree) under another parent, or make it top-level."""
    if parent is not None and is_within(parent, department):
        raise DomainError(_("不能把部门移到它自己或它的下级部门之下"))
    if (parent.id if parent else None) == department.parent_id:
        raise DomainError(_("部门已经在“%(path)s”之下", path=parent.path if parent else _("顶层")))
    _refuse_taken(parent, department.name)
    before = department.path
    _place(department, parent, department.name)
    record(actor, "department.moved", department, before=before, after=department.path)


def _reference_columns() -> list[Column]:
    """Every column that points at a department, except the tree's own parent link."""
    parent_link = Department.__table__.c.parent_id
    return [
        key.parent
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table is Department.__table__ and key.parent is not parent_link
    ]


def _repoint(column: Column, source_id: int, target_id: int) -> int:
    """Move rows from the source to the target department; a row the target already has
    (an exam assigned to both) is dropped instead, as a unique constraint demands. Columns
    are compared NULL-safely: an assignment's empty position is the same as another's."""
    table = column.table
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.contains_column(column):
            twin = table.alias()
            same = [twin.c[c.name].is_not_distinct_from(c)
                    for c in constraint.columns if c is not column]
            db.session.execute(delete(table).where(
                column == source_id, exists().where(twin.c[column.name] == target_id, *same)
            ))
    moved = db.session.execute(
        update(table).where(column == source_id).values({column.name: target_id})
    )
    return moved.rowcount  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult


def _merge(source: Department, target: Department, moved: dict[str, int]) -> None:
    for child in _children(source):
        twin = _find(_path(target, child.name))
        if twin is None:
            _place(child, target, child.name)
        else:
            _merge(child, twin, moved)
    db.session.flush()
    for column in _reference_columns():
        count = _repoint(column, source.id, target.id)
        moved[column.table.name] = moved.get(column.table.name, 0) + count
    db.session.delete(source)
    db.session.flush()


def merge_department(source: Department, target: Department, *, actor: Any) -> dict[str, int]:
    """Fold `source` into `target`: its people, assignments and sub-departments move over
    (a sub-department named like one of the target's is merged into it), then it is deleted.
    Returns how many rows of each table moved (tables with none left out)."""
    if is_within(target, source):
        raise DomainError(_("不能把部门合并到它自己或它的下级部门"))
    source_path, source_id = source.path, source.id
    moved: dict[str, int] = {}
    _merge(source, target, moved)
    db.session.expire_all()  # rows re-pointed in SQL: reload them from the database
    moved = {table: count for table, count in moved.items() if count}
    record(actor, "department.merged", target, source=source_path, source_id=source_id,
           into=target.path, moved=moved)
    return moved


def usage(department: Department) -> dict[str, int]:
    """What still hangs on a department: sub-departments and rows of each referring table."""
    counts = {"department": len(_children(department))}
    for column in _reference_columns():
        counts[column.table.name] = db.session.scalar(
            select(func.count()).select_from(column.table).where(column == department.id)
        ) or 0
    return counts


def delete_department(department: Department, *, actor: Any) -> None:
    """Delete an empty department; one with people, sub-departments or assignments is refused
    with what still hangs on it (merge or move those first)."""
    held = {table: n for table, n in usage(department).items() if n}
    if held:
        parts = [
            _("%(n)d 个下级部门", n=n) if table == "department"
            else str(REFERENCE_LABELS.get(table, _l("%(n)d 条其他记录"))) % {"n": n}
            for table, n in held.items()
        ]
        raise DomainError(_(
            "部门“%(path)s”不能删除：还有 %(what)s。请先移走或合并到其他部门。",
            path=department.path, what="、".join(parts),
        ))
    record(actor, "department.deleted", department, path=department.path)
    db.session.delete(department)
    db.session.flush()
