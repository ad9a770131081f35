"""Re-importing HR's roster: what each row would do to the accounts, then doing all of it.

Companies keep accounts current by importing HR's monthly sheet again, so a row whose 工号 is
known updates that employee instead of being refused. `plan_roster` compares the sheet with
the accounts and says per row: new, changed (old → new per field), unchanged, leaving, or
skipped; `apply_roster` writes the plan in the caller's transaction, and refuses the whole file
while any problem remains, so a bad row changes nothing.

Rules where HR's sheet is silent (README, 批量导入员工):
- A blank optional cell (入职日期, 手机, 离职日期) keeps what the account holds: old staff
  often lack a hire date in the sheet, and a missing cell must not erase one.
- Roles only grow: a 岗位 adds the roles it implies; roles granted in the app stay (an
  administrator is never demoted by a spreadsheet).
- A leaving date today or earlier closes the account at the import; a later one is kept and
  the account closes on that day (`close_leavers`, a background job).
- "The sheet is the whole roster": every active account with a 工号 the sheet lacks is leaving
  today; accounts without a 工号 (set up by hand) and the importer's own are never touched.
- A closed account is never reopened by the sheet: reopening is the administrator's decision.
- A new 工号 whose leaving date has passed creates nobody (skipped): there is nothing to close.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from training.audit.services import record
from training.database import db, utcnow
from training.errors import DomainError
from training.passwords import hash_password
from training.people.models import User
from training.people.roster import Roster, RosterProblem, RosterRow
from training.people.services import (
    AccountDetails,
    create_user,
    ensure_department,
    new_department_paths,
    normalize_department_path,
    set_active,
    validate_password,
)
from training.templating import ROLE_LABELS
from training.timezones import local_day

_CHUNK = 500  # stay below SQL parameter limits


class RowKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    LEAVING = "leaving"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class FieldChange:
    """One field of an account as it is and as the sheet has it, both shown as text."""

    field: str
    old: str
    new: str


@dataclass
class PlannedRow:
    """What one sheet row (or, for a whole roster, one missing account) will do."""

    kind: RowKind
    row: RosterRow | None
    user: User | None = None
    changes: list[FieldChange] = field(default_factory=list)
    leaving_date: date | None = None
    closes_now: bool = False

    @property
    def employee_no(self) -> str:
        return self.row.employee_no if self.row else (self.user and self.user.employee_no) or ""


@dataclass
class RosterPlan:
    roster: Roster
    rows: list[PlannedRow]
    whole_roster: bool
    today: date
    new_departments: list[str]

    def of_kind(self, kind: RowKind) -> list[PlannedRow]:
        return [row for row in self.rows if row.kind is kind]

    def counts(self) -> dict[str, int]:
        return {kind.value: len(self.of_kind(kind)) for kind in RowKind}

    @property
    def writes(self) -> bool:
        return any(row.kind not in (RowKind.UNCHANGED, RowKind.SKIPPED) for row in self.rows)


def plan_roster(
    roster: Roster, *, whole_roster: bool = False, actor: Any = None, today: date | None = None
) -> RosterPlan:
    """Compare the checked rows with the accounts; problems found here join the file's own."""
    today = today or local_day(utcnow())
    by_number, by_login = _accounts_for(roster.rows)
    rows = [
        _plan_row(roster, row, by_number, by_login, actor, today)
        for row in list(roster.rows)
    ]
    planned = [row for row in rows if row is not None]
    if whole_roster and not roster.problems:
        listed = {row.employee_no for row in roster.rows}
        planned += [_absent(user, today) for user in _missing_accounts(listed, actor)]
    new_departments = new_department_paths(
        row.row.department for row in planned if row.row and row.kind is not RowKind.SKIPPED
    )
    return RosterPlan(roster, planned, whole_roster, today, sorted(new_departments))


def _accounts_for(rows: list[RosterRow]) -> tuple[dict[str, User], dict[str, User]]:
    """The accounts holding the rows' 工号, by 工号 and by lower-case login name."""
    numbers = [row.employee_no for row in rows]
    by_number: dict[str, User] = {}
    by_login: dict[str, User] = {}
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        lowered = [number.lower() for number in chunk]
        for user in db.session.scalars(
            select(User).where(
                or_(User.employee_no.in_(chunk), func.lower(User.username).in_(lowered))
            )
        ):
            if user.employee_no:
                by_number[user.employee_no] = user
            by_login[user.username.lower()] = user
    return by_number, by_login


def _plan_row(
    roster: Roster,
    row: RosterRow,
    by_number: dict[str, User],
    by_login: dict[str, User],
    actor: Any,
    today: date,
) -> PlannedRow | None:
    """The row's plan, or None after adding its problem to the roster."""
    user = by_number.get(row.employee_no)
    if user is None:
        return _plan_new(roster, row, by_login.get(row.employee_no.lower()), today)
    closes_now = bool(row.leaving_date and row.leaving_date <= today and user.active)
    if closes_now and user.id == getattr(actor, "id", None):
        _refuse(roster, row, _("离职日期已到，但不能停用您自己的账号"))
        return None
    changes = list(_changes(user, row))
    leaving = any(change.field == "leaving_date" for change in changes) or closes_now
    kind = RowKind.LEAVING if leaving else RowKind.CHANGED if changes else RowKind.UNCHANGED
    return PlannedRow(kind, row, user, changes, row.leaving_date or user.leaving_date, closes_now)


def _plan_new(roster: Roster, row: RosterRow, holder: User | None, today: date) -> PlannedRow | None:
    if holder is not None:  # the 工号 becomes the login name, and another account has it
        _refuse(roster, row, _(
            "工号 %(no)s 已被账号 %(name)s 用作登录名", no=row.employee_no, name=holder.display_name
        ))
        return None
    if row.leaving_date and row.leaving_date <= today:
        return PlannedRow(RowKind.SKIPPED, row, leaving_date=row.leaving_date)
    return PlannedRow(RowKind.NEW, row, leaving_date=row.leaving_date)


def _refuse(roster: Roster, row: RosterRow, message: str) -> None:
    roster.problems.append(RosterProblem(row.row, "工号", message))
    roster.rows.remove(row)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _role_text(roles: Iterable[str]) -> str:
    return "、".join(str(ROLE_LABELS.get(role, role)) for role in sorted(roles))


def _changes(user: User, row: RosterRow) -> Iterator[FieldChange]:
    """The fields the row changes, old → new as text; blank optional cells change nothing."""
    department = normalize_department_path(row.department)
    wanted: list[tuple[str, object, object]] = [
        ("name", user.display_name, row.name),
        ("department", user.department.path if user.department else None, department),
        ("position", user.position, row.position),
        ("roles", _role_text(user.role_names), _role_text(user.role_names | row.roles)),
    ]
    optional = [("hire_date", user.hire_date, row.hire_date), ("phone", user.phone, row.phone),
                ("leaving_date", user.leaving_date, row.leaving_date)]
    wanted += [item for item in optional if item[2] is not None]
    for name, old, new in wanted:
        if _text(old) != _text(new):
            yield FieldChange(name, _text(old), _text(new))


def _missing_accounts(listed: set[str], actor: Any) -> list[User]:
    """Active accounts with a 工号 a whole-roster sheet does not list (never the importer)."""
    users = db.session.scalars(
        select(User).where(User.active, User.employee_no.is_not(None)).order_by(User.employee_no)
    )
    return [u for u in users if u.employee_no not in listed and u.id != getattr(actor, "id", None)]


def _absent(user: User, today: date) -> PlannedRow:
    change = FieldChange("leaving_date", _text(user.leaving_date), today.isoformat())
    return PlannedRow(RowKind.LEAVING, None, user, [change], today, closes_now=True)


def apply_roster(plan: RosterPlan, initial_password: str, *, actor: Any = None) -> dict[str, int]:
    """Write the whole plan, or nothing: any problem refuses the file. Returns the counts."""
    if plan.roster.problems:
        raise DomainError(_("文件有 %(n)d 个问题，未导入任何人员", n=len(plan.roster.problems)))
    new_rows = plan.of_kind(RowKind.NEW)
    shared_hash = None
    if new_rows:
        validate_password(initial_password)
        shared_hash = hash_password(initial_password)  # one hash run, not one per row
    for item in new_rows:
        _create(item, initial_password, shared_hash, actor)
    for item in plan.rows:
        if item.user is not None and item.changes:
            _update(item, actor)
    counts = plan.counts()
    record(actor, "user.roster_imported", None, whole_roster=plan.whole_roster, **counts)
    db.session.flush()
    return counts


def _create(item: PlannedRow, password: str, shared_hash: str | None, actor: Any) -> User:
    """A new account from its row; the login name is the 工号."""
    row = item.row
    assert row is not None
    return create_user(
        AccountDetails(
            username=row.employee_no,
            display_name=row.name,
            roles=row.roles,
            employee_no=row.employee_no,
            department_path=row.department,
            hire_date=row.hire_date,
            phone=row.phone,
            position=row.position,
            leaving_date=row.leaving_date,
        ),
        password,
        actor=actor,
        must_change=True,
        password_hash=shared_hash,
    )


def _update(item: PlannedRow, actor: Any) -> None:
    """Apply the row's changes to its account; close it when its leaving date has come."""
    user, row = item.user, item.row
    assert user is not None
    if row is not None:
        user.display_name = row.name
        user.department = ensure_department(row.department)
        user.position = row.position
        user.set_roles(user.role_names | row.roles)
        user.hire_date = row.hire_date or user.hire_date
        user.phone = row.phone or user.phone
    user.leaving_date = item.leaving_date
    changes = {change.field: [change.old, change.new] for change in item.changes}
    record(actor, "user.roster_updated", user, changes=changes, listed=row is not None)
    if item.closes_now:
        reason = "leaving_date" if row is not None else "not_in_roster"
        set_active(user, False, actor=actor, reason=reason)
