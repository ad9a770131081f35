"""Bulk import of the HR roster: check against existing accounts, then create all or none."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from training.audit.services import record
from training.database import db
from training.errors import DomainError
from training.imports.checks import check_upload
from training.imports.models import StagedUpload
from training.imports.services import stage_upload
from training.imports.snapshot import freeze, thaw
from training.passwords import hash_password
from training.people.models import User
from training.people.roster import Roster, RosterProblem, parse_roster
from training.people.services import AccountDetails, create_user, validate_password

UPLOAD_KIND = "roster"


def read_roster(data: bytes, filename: str) -> Roster:
    """The checked rows of a roster file; UploadRefused when no reader should open it."""
    check_upload(data, filename)
    return parse_roster(data, filename, current_app.config["ROSTER_MAX_ROWS"])


def stage_roster(filename: str, data: bytes, user: User) -> StagedUpload:
    """Read a roster once and keep it, with its rows, for the preview."""
    return stage_upload(UPLOAD_KIND, filename, data, freeze(read_roster(data, filename)), user)


def staged_roster(staged: StagedUpload) -> Roster:
    return thaw(Roster, staged.parsed)


def check_against_accounts(roster: Roster) -> Roster:
    """Add a problem for every row whose 工号 (also its login name) is already taken."""
    numbers = [row.employee_no for row in roster.rows]
    if not numbers:
        return roster
    lowered = [n.lower() for n in numbers]
    taken = set()
    for chunk_start in range(0, len(numbers), 500):  # stay below SQL parameter limits
        chunk, lower_chunk = (
            numbers[chunk_start : chunk_start + 500],
            lowered[chunk_start : chunk_start + 500],
        )
        for user in db.session.scalars(
            select(User).where(
                or_(User.employee_no.in_(chunk), func.lower(User.username).in_(lower_chunk))
            )
        ):
            taken.update({user.employee_no or "", user.username.lower()})
    for row in list(roster.rows):
        if row.employee_no in taken or row.employee_no.lower() in taken:
            roster.problems.append(
                RosterProblem(row.row, "工号", _("工号 %(no)s 已存在", no=row.employee_no))
            )
            roster.rows.remove(row)
    return roster


def import_roster(roster: Roster, initial_password: str, *, actor: Any = None) -> list[User]:
    """Create one account per row (login name = 工号); refuse the whole file on any problem."""
    validate_password(initial_password)
    check_against_accounts(roster)
    if not roster.ok:
        raise DomainError(_("文件有 %(n)d 个问题，未导入任何人员", n=len(roster.problems)))
    shared_hash = hash_password(initial_password)  # one hash run, not one per row
    users = [
        create_user(
            AccountDetails(
                username=row.employee_no,
                display_name=row.name,
                roles=row.roles,
                employee_no=row.employee_no,
                department_path=row.department,
                hire_date=row.hire_date,
                phone=row.phone,
                position=row.position,
            ),
            initial_password,
            actor=actor,
            must_change=True,
            password_hash=shared_hash,
        )
        for row in roster.rows
    ]
    record(actor, "user.roster_imported", None, count=len(users))
    db.session.flush()
    return users
