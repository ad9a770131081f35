"""Rules and writes for departments and user accounts. Services flush; the caller commits."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from training.access import ROLES
from training.audit.services import record
from training.database import db, utcnow
from training.errors import Conflict, DomainError, NotFound
from training.passwords import is_guessable
from training.people.models import DEPARTMENT_SEPARATOR, Department, User, UserRole
from training.timezones import local_day

MIN_PASSWORD_LENGTH = 8
_PATH_SPLIT = re.compile(r"\s*[/／>＞\\]\s*")


def split_department_path(path: str) -> list[str]:
    """'客服中心 / 投诉组' -> ['客服中心', '投诉组'] (also accepts ／, > and backslash)."""
    return [name for name in _PATH_SPLIT.split(path.strip()) if name]


def normalize_department_path(path: str) -> str:
    """'客服中心 ／ 投诉组' -> '客服中心/投诉组', the path `ensure_department` stores."""
    return DEPARTMENT_SEPARATOR.join(split_department_path(path))


def new_department_paths(paths: Iterable[str]) -> set[str]:
    """The departments (ancestors included) that `ensure_department` would create for `paths`,
    so an import preview can show them before a typo becomes a department."""
    wanted: set[str] = set()
    for path in paths:
        names = split_department_path(path)
        wanted.update(DEPARTMENT_SEPARATOR.join(names[:depth]) for depth in range(1, len(names) + 1))
    existing = set(db.session.scalars(select(Department.path).where(Department.path.in_(wanted))))
    return wanted - existing


def ensure_department(path: str) -> Department:
    """Return the department at `path`, creating any missing ancestors."""
    names = split_department_path(path)
    if not names:
        raise DomainError(_("部门名称不能为空"))
    parent: Department | None = None
    for depth in range(1, len(names) + 1):
        full_path = DEPARTMENT_SEPARATOR.join(names[:depth])
        department = db.session.scalar(select(Department).filter_by(path=full_path))
        if department is None:
            department = Department(name=names[depth - 1], parent=parent, path=full_path)
            db.session.add(department)
        parent = department
    db.session.flush()
    assert parent is not None
    return parent


class WeakPassword(DomainError):
    """A password the rules refuse; forms show it beside the new-password field."""


def identity_words(person: User | AccountDetails) -> list[str | None]:
    """What a guesser knows of the account: its login name, name and 工号."""
    return [person.username, person.display_name, person.employee_no]


def validate_password(password: str, user_inputs: Iterable[str | None] = ()) -> None:
    """Refuse passwords too short, common, or derived from the account's own names."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(_("密码至少需要 %(n)d 个字符", n=MIN_PASSWORD_LENGTH))
    if is_guessable(password, user_inputs):
        raise WeakPassword(
            _(
                "密码太容易被猜到：请勿使用常见密码、连续或重复的字符、日期，"
                "或登录名、姓名、工号；可用几个不相关的词加数字组成。"
            )
        )


def validate_roles(roles: set[str] | frozenset[str]) -> None:
    """Every account needs at least one known role."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise DomainError(_("未知角色: %(roles)s", roles=", ".join(sorted(unknown))))
    if not roles:
        raise DomainError(_("至少选择一个角色"))


@dataclass
class AccountDetails:
    """The editable fields of an account, as validated by a form, the CLI or an import."""

    username: str
    display_name: str
    roles: frozenset[str]
    employee_no: str | None = None
    department_path: str | None = None
    hire_date: date | None = None
    phone: str | None = None
    position: str | None = None
    leaving_date: date | None = None  # the leaver sweep closes the account on that day


def _check_unique(details: AccountDetails, user: User | None = None) -> None:
    """Refuse a login name or 工号 already held by another account."""
    taken = db.session.scalar(
        select(User).where(func.lower(User.username) == details.username.lower())
    )
    if taken is not None and taken is not user:
        raise Conflict(_("登录名 %(name)s 已被使用", name=details.username))
    if details.employee_no:
        holder = db.session.scalar(select(User).filter_by(employee_no=details.employee_no))
        if holder is not None and holder is not user:
            raise Conflict(_("工号 %(no)s 已存在", no=details.employee_no))


def _apply_details(user: User, details: AccountDetails) -> None:
    validate_roles(details.roles)
    user.username = details.username.strip()
    user.display_name = details.display_name.strip()
    user.employee_no = details.employee_no or None
    user.department = (
        ensure_department(details.department_path) if details.department_path else None
    )
    user.hire_date = details.hire_date
    user.phone = details.phone or None
    user.position = details.position or None
    user.leaving_date = details.leaving_date
    user.set_roles(details.roles)


def create_user(
    details: AccountDetails,
    password: str,
    *,
    actor: Any = None,
    must_change: bool = False,
    password_hash: str | None = None,
) -> User:
    """Create an account; `password_hash` lets bulk imports hash a shared password once."""
    validate_password(password, identity_words(details))
    _check_unique(details)
    user = User(password_hash="", session_version=0)
    _apply_details(user, details)
    user.set_password(password, must_change=must_change, password_hash=password_hash)
    db.session.add(user)
    record(actor, "user.created", user, roles=sorted(details.roles))
    return user


def update_user(user: User, details: AccountDetails, *, actor: Any = None) -> User:
    """Change an account's details and roles."""
    _check_unique(details, user)
    before = sorted(user.role_names)
    _apply_details(user, details)
    record(actor, "user.updated", user, roles_before=before, roles=sorted(details.roles))
    return user


def set_active(user: User, active: bool, *, actor: Any = None, **why: Any) -> None:
    """Deactivate (never delete: records refer to the user) or reactivate an account; `why`
    goes into the audit event (e.g. the leaving date that closed it)."""
    if actor is not None and user.id == getattr(actor, "id", None) and not active:
        raise DomainError(_("不能停用自己的账号"))
    user.active = active
    if active and user.leaving_date and user.leaving_date <= local_day(utcnow()):
        user.leaving_date = None  # back (rehired): else the leaver sweep would close it again
    if not active:
        user.session_version += 1  # ends the user's open sessions
    record(actor, "user.activated" if active else "user.deactivated", user, **why)


def reset_password(user: User, new_password: str, *, actor: Any = None) -> None:
    """Set a temporary password that the user must change at the next sign-in."""
    validate_password(new_password, identity_words(user))
    user.set_password(new_password, must_change=True)
    record(actor, "user.password_reset", user)


def change_own_password(user: User, current: str, new_password: str) -> None:
    """A user replaces their password, proving they know the current one."""
    if not user.check_password(current):
        raise DomainError(_("当前密码不正确"))
    if current == new_password:
        raise DomainError(_("新密码不能与当前密码相同"))
    validate_password(new_password, identity_words(user))
    user.set_password(new_password, must_change=False)
    record(user, "user.password_changed", user)


@dataclass
class UserFilter:
    """What the admin user list can be narrowed by."""

    query: str = ""
    department_id: int | None = None
    role: str | None = None
    active: bool | None = None


def user_query(criteria: UserFilter) -> Select[tuple[User]]:
    """The users matching the admin list's search box and filters, ordered by 工号/name."""
    stmt = select(User).outerjoin(User.department)
    if criteria.query:
        like = f"%{criteria.query.strip()}%"
        stmt = stmt.where(
            or_(
                User.username.ilike(like),
                User.display_name.ilike(like),
                User.employee_no.ilike(like),
                User.phone.ilike(like),
            )
        )
    if criteria.department_id:
        department = db.session.get(Department, criteria.department_id)
        if department is not None:
            stmt = stmt.where(
                or_(
                    Department.id == department.id,
                    Department.path.startswith(department.path + DEPARTMENT_SEPARATOR),
                )
            )
    if criteria.role:
        stmt = stmt.where(User.roles.any(UserRole.role == criteria.role))
    if criteria.active is not None:
        stmt = stmt.where(User.active == criteria.active)
    return stmt.order_by(User.employee_no.is_(None), User.employee_no, User.username)


def chosen_department(department_id: int | None) -> Department | None:
    """The department picked in a form by id (0 or None: no department / the top level)."""
    if not department_id:
        return None
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound(_("所选部门不存在，请刷新页面后重新选择"))
    return department


def all_departments() -> list[Department]:
    """Every department ordered as a tree (parents before children)."""
    return list(db.session.scalars(select(Department).order_by(Department.path)))


def find_user(username: str) -> User | None:
    """Look a user up by login name, case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
