"""What the certification pages read: the HR status board, its drill-down, a person's history,
a department head's team — each a few grouped queries over `CertStatus` and `CertEvent`.

The board and its drill-down share one definition of each bucket (`bucket_conditions`), so the
people listed under a number are exactly the ones it counts. "Certified" counts every active
certificate (已认证 and 即将到期); "expiring in 30 / 60 days" are active ones whose expiry day
(the first day no longer valid) falls within that many days, so the 60-day figure includes the
30-day one. Certified + expired + in progress + not started + revoked is every status row.
Only active accounts are counted: someone who has left is nobody's certification problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import aliased, contains_eager

from training.certification import services
from training.certification.facts import gather, wanted
from training.certification.lifecycle import ACTIVE, Status
from training.certification.models import (
    CertEvent,
    Certificate,
    CertLevel,
    CertRuleVersion,
    CertStatus,
)
from training.certification.rules import State, evaluate
from training.database import db
from training.errors import DomainError
from training.people.audience import in_subtree
from training.people.models import DEPARTMENT_SEPARATOR, Department, User, UserRole

BUCKETS: tuple[str, ...] = (
    "certified", "expiring_30", "expiring_60", "expired", "in_progress", "not_started", "revoked",
)
# Buckets that partition the status rows (the expiring ones are parts of "certified").
PARTITION: tuple[str, ...] = ("certified", "expired", "in_progress", "not_started", "revoked")
# Who heads a department: the model has no manager, so an employee holding one of these
# positions sees the statuses of their department's subtree (see `manages`).
MANAGER_POSITIONS: frozenset[str] = frozenset({"组长", "主管", "经理", "部门经理"})


def bucket_conditions(today: date) -> dict[str, ColumnElement[bool]]:
    """SQL on a `CertStatus` row for each bucket of the board, on `today`."""
    active = CertStatus.status.in_([str(status) for status in ACTIVE])

    def expiring(days: int) -> ColumnElement[bool]:
        return and_(active, CertStatus.expires_on.is_not(None),
                    CertStatus.expires_on <= today + timedelta(days=days))

    return {
        "certified": active,
        "expiring_30": expiring(30),
        "expiring_60": expiring(60),
        "expired": CertStatus.status == Status.EXPIRED,
        "in_progress": CertStatus.status == Status.IN_PROGRESS,
        "not_started": CertStatus.status == Status.NOT_STARTED,
        "revoked": CertStatus.status == Status.REVOKED,
    }


@dataclass
class Counts:
    """One cell of the board: how many people are in each bucket."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    def __getitem__(self, bucket: str) -> int:
        return self.values[bucket]

    def add(self, other: Counts) -> None:
        for bucket in BUCKETS:
            self.values[bucket] += other.values[bucket]

    @property
    def total(self) -> int:
        return sum(self.values[bucket] for bucket in PARTITION)


@dataclass
class BoardRow:
    department: Department | None  # None: people without a department
    cells: dict[int, Counts]  # level id → counts, the department's whole subtree

    @property
    def depth(self) -> int:
        return self.department.depth if self.department else 0

    @property
    def empty(self) -> bool:
        return all(cell.total == 0 for cell in self.cells.values())


@dataclass
class Board:
    levels: list[CertLevel]
    rows: list[BoardRow]  # departments in tree order, each rolled up over its subtree
    totals: dict[int, Counts]  # level id → counts over everyone shown

    def cell(self, row: BoardRow, level: CertLevel) -> Counts:
        return row.cells[level.id]


def active_levels() -> list[CertLevel]:
    """Levels in their display order (archived ones are off the board and the employee page)."""
    return list(db.session.scalars(
        select(CertLevel).where(CertLevel.archived.is_(False))
        .order_by(CertLevel.sort_order, CertLevel.id)
    ))


def _status_rows(*columns: Any) -> Any:
    """`columns` over status rows joined to their person and (outer) the person's department."""
    return (select(*columns).join(User, User.id == CertStatus.user_id)
            .outerjoin(Department, Department.id == User.department_id))


def _scoped(stmt: Any, root: Department | None) -> Any:
    """Limit a statement over `User` and `Department` to active people under `root` (None:
    everyone)."""
    stmt = stmt.where(User.active.is_(True))
    return stmt if root is None else stmt.where(in_subtree(Department.path, literal(root.path)))


def status_board(today: date, root: Department | None = None) -> Board:
    """Counts per department (rolled up over subtrees) and level, in one grouped query."""
    levels = active_levels()
    conditions = bucket_conditions(today)
    stmt = _scoped(
        _status_rows(User.department_id, CertStatus.level_id,
                     *[func.sum(case((condition, 1), else_=0)) for condition in conditions.values()])
        .where(CertStatus.level_id.in_([level.id for level in levels]))
        .group_by(User.department_id, CertStatus.level_id), root)
    own: dict[int | None, dict[int, Counts]] = {}
    for department_id, level_id, *numbers in db.session.execute(stmt):
        own.setdefault(department_id, {})[level_id] = Counts(dict(zip(BUCKETS, map(int, numbers),
                                                                      strict=True)))
    departments = _departments_under(root)
    rows = [BoardRow(department, _rolled_up(department, departments, own, levels))
            for department in departments]
    if root is None and None in own:
        rows.append(BoardRow(None, _summed([own[None]], levels)))
    totals = _summed(own.values(), levels)
    return Board(levels, [row for row in rows if not row.empty], totals)


def _departments_under(root: Department | None) -> list[Department]:
    stmt = select(Department).order_by(Department.path)
    if root is not None:
        stmt = stmt.where(in_subtree(Department.path, literal(root.path)))
    return list(db.session.scalars(stmt))


def _summed(cells: Iterable[dict[int, Counts]], levels: list[CertLevel]) -> dict[int, Counts]:
    total = {level.id: Counts() for level in levels}
    for by_level in cells:
        for level_id, counts in by_level.items():
            total[level_id].add(counts)
    return total


def _rolled_up(department: Department, departments: list[Department],
               own: dict[int | None, dict[int, Counts]], levels: list[CertLevel]) -> dict[int, Counts]:
    prefix = department.path + DEPARTMENT_SEPARATOR
    below = [d.id for d in departments if d.id == department.id or d.path.startswith(prefix)]
    return _summed((own[d] for d in below if d in own), levels)


@dataclass
class PersonStatus:
    user: User
    status: CertStatus
    department: str | None  # the department's path

    def days_left(self, today: date) -> int | None:
        expires = self.status.expires_on
        return None if expires is None else (expires - today).days


def people_in_bucket(level: CertLevel, bucket: str, today: date,
                     root: Department | None = None) -> list[PersonStatus]:
    """The people a board cell counts (the same condition), soonest expiry first."""
    condition = bucket_conditions(today)[bucket]
    return _people(_scoped(_status_rows(CertStatus, User, Department.path)
                           .where(CertStatus.level_id == level.id, condition), root))


def _people(stmt: Any) -> list[PersonStatus]:
    rows = db.session.execute(stmt.order_by(CertStatus.expires_on.is_(None), CertStatus.expires_on,
                                            User.employee_no, User.username))
    return [PersonStatus(user, status, path) for status, user, path in rows]


@dataclass
class TeamMember:
    user: User
    department: str | None
    statuses: dict[int, CertStatus]  # level id → status row


@dataclass
class Team:
    department: Department
    levels: list[CertLevel]
    members: list[TeamMember]
    reminders: list[PersonStatus]  # active certificates expiring within 60 days, and expired ones


def team_view(department: Department, today: date) -> Team:
    """A department head's view: everyone under the department with their status per level,
    and who needs reminding (expiring soon or expired), in two queries."""
    levels = active_levels()
    level_ids = [level.id for level in levels]
    rows = db.session.execute(_scoped(
        select(User, Department.path, CertStatus)
        .outerjoin(Department, Department.id == User.department_id)
        .outerjoin(CertStatus, and_(CertStatus.user_id == User.id,
                                    CertStatus.level_id.in_(level_ids)))
        .where(User.roles.any(UserRole.role == "employee")), department)
        .order_by(Department.path, User.employee_no, User.username))
    members: dict[int, TeamMember] = {}
    for user, path, status in rows:
        member = members.setdefault(user.id, TeamMember(user, path, {}))
        if status is not None:
            member.statuses[status.level_id] = status
    conditions = bucket_conditions(today)
    reminders = _people(_scoped(
        _status_rows(CertStatus, User, Department.path).where(CertStatus.level_id.in_(level_ids),
               conditions["expiring_60"] | conditions["expired"]), department))
    return Team(department, levels, list(members.values()), reminders)


def manages(user: User) -> Department | None:
    """The department whose statuses `user` may see as its head (see `MANAGER_POSITIONS`)."""
    if user.position in MANAGER_POSITIONS and user.department is not None:
        return user.department
    return None


@dataclass
class HistoryLine:
    event: CertEvent
    level_name: str
    actor_name: str | None


def history(user: User) -> list[HistoryLine]:
    """Every certification event of `user`, oldest first, with its level and actor, one query."""
    actor = aliased(User)
    rows = db.session.execute(
        select(CertEvent, CertLevel.name, actor.display_name)
        .join(CertLevel, CertLevel.id == CertEvent.level_id)
        .outerjoin(actor, actor.id == CertEvent.actor_id)
        .where(CertEvent.user_id == user.id)
        .order_by(CertEvent.effective_on, CertEvent.id)
    )
    return [HistoryLine(event, level_name, actor_name) for event, level_name, actor_name in rows]


def statuses_of(user: User) -> list[CertStatus]:
    """The user's status rows with their level and certificate, in the levels' order."""
    return list(db.session.scalars(
        select(CertStatus).join(CertLevel, CertLevel.id == CertStatus.level_id)
        .outerjoin(Certificate, Certificate.id == CertStatus.certificate_id)
        .where(CertStatus.user_id == user.id, CertLevel.archived.is_(False))
        .order_by(CertLevel.sort_order, CertLevel.id)
        .options(contains_eager(CertStatus.level), contains_eager(CertStatus.certificate))
    ))


def certificates_of(user: User) -> list[Certificate]:
    """Every certificate the user holds or held, newest first (the PDFs to download)."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    ))


@dataclass
class LevelSummary:
    level: CertLevel
    version: int | None  # the current rule version's number
    active: int  # people certified now (已认证 or 即将到期)


def level_summaries() -> list[LevelSummary]:
    """The levels list: every level with its rule version and how many hold it, one query."""
    active = func.count(CertStatus.id).filter(
        CertStatus.status.in_([str(status) for status in ACTIVE]))
    rows = db.session.execute(
        select(CertLevel, CertRuleVersion.number, active)
        .outerjoin(CertRuleVersion, CertRuleVersion.id == CertLevel.current_version_id)
        .outerjoin(CertStatus, CertStatus.level_id == CertLevel.id)
        .group_by(CertLevel.id, CertRuleVersion.number)
        .order_by(CertLevel.archived, CertLevel.sort_order, CertLevel.id)
    )
    return [LevelSummary(level, number, count) for level, number, count in rows]


def rule_versions(level: CertLevel) -> list[tuple[CertRuleVersion, str | None]]:
    """The level's rule versions, newest first, with who saved each."""
    return [(version, name) for version, name in db.session.execute(
        select(CertRuleVersion, User.display_name)
        .outerjoin(User, User.id == CertRuleVersion.created_by_id)
        .where(CertRuleVersion.level_id == level.id)
        .order_by(CertRuleVersion.number.desc())
    )]


@dataclass
class CertTask:
    """A level on the employee's task list: still to earn, to renew, or lapsed."""

    level: CertLevel
    status: str
    met: int
    total: int
    days_left: int | None  # to the expiry day, for an active or expired certificate


TASK_STATUSES = (Status.IN_PROGRESS, Status.EXPIRING, Status.EXPIRED)


def certification_tasks(user: User, today: date) -> list[CertTask]:
    """Levels in progress, in the recertification window or expired, soonest deadline first
    (one query: the home page's count stays flat however many levels there are)."""
    rows = db.session.execute(
        select(CertStatus, CertLevel).join(CertLevel, CertLevel.id == CertStatus.level_id)
        .where(CertStatus.user_id == user.id, CertLevel.archived.is_(False),
               CertStatus.status.in_([str(status) for status in TASK_STATUSES]))
        .order_by(CertStatus.expires_on.is_(None), CertStatus.expires_on, CertLevel.sort_order)
    )
    return [CertTask(level, row.status, row.met, row.total,
                     None if row.expires_on is None else (row.expires_on - today).days)
            for row, level in rows]


def held_certificate(user: User, level: CertLevel) -> Certificate:
    """The certificate HR would revoke: the person's latest for the level, not yet revoked."""
    certificate = services.latest_certificate(user.id, level.id)
    if certificate is None or certificate.revoked_on is not None:
        raise DomainError(_("此人没有该等级的有效证书。"))
    return certificate


def flagged_status(user: User, level: CertLevel) -> CertStatus:
    """The status row whose flag HR decides; refused when there is no flag to decide."""
    status = db.session.scalar(select(CertStatus).where(CertStatus.user_id == user.id,
                                                        CertStatus.level_id == level.id))
    if status is None or status.flagged_at is None:
        raise DomainError(_("该认证没有待处理的复核标记。"))
    return status


@dataclass
class MyLevel:
    """A level that applies to the employee: their standing and the rule's state today."""

    standing: services.LevelStatus
    state: State
    tree: Any = None  # the rule as lines, set by the page

    @property
    def level(self) -> CertLevel:
        return self.standing.level

    @property
    def status(self) -> Status:
        return self.standing.status

    @property
    def row(self) -> CertStatus | None:
        return self.standing.row

    @property
    def certificate(self) -> Certificate | None:
        return self.standing.certificate


def my_levels(user: User, today: date) -> list[MyLevel]:
    """Each level that applies to `user` with its status as last evaluated, and its rule
    (prerequisites included) over their record today, for the ticks; nothing is written."""
    standings = services.statuses_of(user)
    compiled = {s.level.id: services.rule_of(s.level) for s in standings}
    facts = gather([user], wanted(compiled.values()))[user.id]
    return [MyLevel(s, evaluate(compiled[s.level.id], facts, today)) for s in standings]
