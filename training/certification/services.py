"""Certification's writes: evaluating employees against the levels, HR's awards, revocations
and flag decisions, and saving levels (from a form or a YAML file).

`evaluate` is the one place a status changes by rule. It reads the records in bulk
(`facts.gather`), asks the pure functions what they make of them (`rules.evaluate`,
`lifecycle.decide`, `lifecycle.status_of`), and writes what they decide: a `Certificate` and a
`CertEvent` for an award or renewal, a `CertEvent` for an expiry or a flag, and the `CertStatus`
row the HR board counts. History rows are only ever added; evaluating again with nothing new
decides nothing and writes nothing (the decisions read the rows earlier ones wrote).

Levels are evaluated in prerequisite order, a prerequisite being one more requirement
(`LevelActive`), so a level awarded in this run counts for the levels that build on it.
Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from question_bank.texts import N_
from training.audit.services import record
from training.certification import rules
from training.certification.codes import format_code, new_code
from training.certification.facts import Person, applicable_users, gather, wanted
from training.certification.lifecycle import (
    ACTIVE,
    Award,
    Decision,
    ExpiryBase,
    Status,
    Step,
    Terms,
    add_months,
    settle,
    status_of,
)
from training.certification.models import (
    CertEvent,
    Certificate,
    CertLevel,
    CertRuleVersion,
    CertStatus,
    EventKind,
)
from training.certification.preview import Preview, preview
from training.certification.rule_yaml import (
    CertFileError,
    Level,
    LevelSpec,
    dump,
    parse,
    resolve_levels,
)
from training.courses.models import Course
from training.database import db
from training.errors import DomainError
from training.exams.models import Exam
from training.manuals.models import Manual
from training.people.models import Department, User
from training.roleplay.models import Scenario
from training.timezones import local_day
from training.yaml_lines import Problem

CODE_ATTEMPTS = 3  # draws of fresh codes before a collision is taken for a real error
FLAG_REASON = N_("重新评分后，该认证依据的成绩已不再满足规则")  # stored; shown with pure_text
_STEP_EVENTS = {Step.AWARD: EventKind.AWARDED, Step.RENEW: EventKind.RENEWED,
                Step.EXPIRE: EventKind.EXPIRED, Step.FLAG: EventKind.FLAGGED}


@dataclass(frozen=True)
class Change:
    """One employee's status for one level moved (what `cert evaluate --json` prints)."""

    username: str
    level: str  # the level's code
    from_status: Status
    to_status: Status

    def as_json(self) -> dict[str, str]:
        return {"username": self.username, "level": self.level,
                "from": str(self.from_status), "to": str(self.to_status)}


# --- reading levels -----------------------------------------------------------------------


def terms_of(level: CertLevel) -> Terms:
    return Terms(level.validity_months, ExpiryBase(level.expiry_base), level.window_days)


def rule_of(level: CertLevel) -> rules.Rule:
    """The level's current rule with its prerequisites as `LevelActive` requirements."""
    base = rules.from_dict(level.current_version.rule) if level.current_version else rules.AllOf(())
    return rules.with_prerequisites(base, level.prerequisite_ids)


def levels_in_order(*, include_archived: bool = False) -> list[CertLevel]:
    """Levels with a rule, each after the levels it requires (then by sort order)."""
    query = select(CertLevel).where(CertLevel.current_version_id.is_not(None))
    if not include_archived:
        query = query.where(CertLevel.archived.is_(False))
    found = list(db.session.scalars(query.order_by(CertLevel.sort_order, CertLevel.id)))
    return prerequisite_order(found)


def required_levels(level: CertLevel) -> list[int]:
    """The levels this one reads: its prerequisites and any level requirement in its rule."""
    return [requirement.level_id for requirement in rules.referenced(rule_of(level))
            if isinstance(requirement, rules.LevelActive)]


def prerequisite_order(levels: list[CertLevel]) -> list[CertLevel]:
    """`levels` sorted so that each comes after the levels it reads (`required_levels`), so
    a level awarded in a run counts for the next in the same run; refuses a cycle."""
    by_id = {level.id: level for level in levels}
    placed: dict[int, CertLevel] = {}
    visiting: set[int] = set()

    def place(level: CertLevel) -> None:
        if level.id in placed:
            return
        if level.id in visiting:
            raise DomainError(_("认证等级的前置等级不能互相依赖：%(name)s", name=level.name))
        visiting.add(level.id)
        for required in required_levels(level):
            if required in by_id:
                place(by_id[required])
        placed[level.id] = level

    for level in levels:
        place(level)
    return list(placed.values())


# --- the ledger: what earlier evaluations recorded ----------------------------------------


@dataclass
class _Held:
    """The latest certificate of one person at one level, as the lifecycle reads it."""

    certificate_id: int | None  # None until a new certificate is flushed
    award: Award
    expired_recorded: bool
    pending: Certificate | None = None  # written in this run


@dataclass
class _Row:
    """A `CertStatus` row as last written."""

    id: int
    status: Status
    certificate_id: int | None
    expires_on: date | None
    met: int
    total: int
    flagged: bool


@dataclass
class _Ledger:
    """Latest certificates and status rows for the levels and people evaluated, read in three
    queries, and the rows this run adds, written together at the end."""

    held: dict[tuple[int, int], _Held]
    rows: dict[tuple[int, int], _Row]
    certificates: list[Certificate] = field(default_factory=list)
    events: list[tuple[dict[str, Any], Certificate | None]] = field(default_factory=list)
    new_rows: list[tuple[dict[str, Any], Certificate | None]] = field(default_factory=list)
    changed_rows: list[tuple[dict[str, Any], Certificate | None]] = field(default_factory=list)
    decided: dict[tuple[int, int], Status] = field(default_factory=dict)  # this run's statuses

    @classmethod
    def load(cls, level_ids: list[int], user_ids: Collection[int] | None) -> _Ledger:
        def among(column):  # noqa: ANN001, ANN202 - a mapped column
            return [column.in_(user_ids)] if user_ids is not None else []

        expired = set(db.session.scalars(
            select(CertEvent.certificate_id).where(
                CertEvent.kind == EventKind.EXPIRED, CertEvent.level_id.in_(level_ids),
                *among(CertEvent.user_id))))
        held: dict[tuple[int, int], _Held] = {}
        for cid, user_id, level_id, issued, expires, revoked in db.session.execute(
            select(Certificate.id, Certificate.user_id, Certificate.level_id, Certificate.issued_on,
                   Certificate.expires_on, Certificate.revoked_on)
            .where(Certificate.level_id.in_(level_ids), *among(Certificate.user_id))
            .order_by(Certificate.issued_on, Certificate.id)
        ):
            held[(user_id, level_id)] = _Held(cid, Award(issued, expires, revoked), cid in expired)
        rows = {
            (r.user_id, r.level_id): _Row(r.id, Status(r.status), r.certificate_id, r.expires_on,
                                          r.met, r.total, r.flagged_at is not None)
            for r in db.session.execute(
                select(CertStatus.id, CertStatus.user_id, CertStatus.level_id, CertStatus.status,
                       CertStatus.certificate_id, CertStatus.expires_on, CertStatus.met,
                       CertStatus.total, CertStatus.flagged_at)
                .where(CertStatus.level_id.in_(level_ids), *among(CertStatus.user_id)))
        }
        return cls(held, rows)

    def write(self) -> None:
        """Add the run's certificates (ids needed), then its events and status rows in bulk."""
        _add_with_codes(self.certificates)
        # Table inserts with the same keys in every row: one executemany each (the ORM's bulk
        # insert splits rows by which values are None, a statement per split).
        if self.events:
            db.session.execute(insert(CertEvent.__table__),
                               [_with_certificate(v, c) for v, c in self.events])
        if self.new_rows:
            db.session.execute(insert(CertStatus.__table__), [
                {"flagged_at": None, "flag_reason": None, **_with_certificate(v, c)}
                for v, c in self.new_rows])
        if self.changed_rows:
            db.session.execute(update(CertStatus),
                               [_with_certificate(v, c) for v, c in self.changed_rows])
        db.session.flush()


def _with_certificate(values: dict[str, Any], certificate: Certificate | None) -> dict[str, Any]:
    """The row's values with the id of a certificate this run added (known once flushed)."""
    return {**values, "certificate_id": certificate.id} if certificate is not None else values


def _add_with_codes(certificates: list[Certificate]) -> None:
    """Add certificates with fresh codes; a code already taken (the unique constraint) makes
    the batch draw again, so no two certificates ever share a code."""
    if not certificates:
        return
    for attempt in range(1, CODE_ATTEMPTS + 1):
        for certificate in certificates:
            certificate.code = new_code()
        try:
            with db.session.begin_nested():
                db.session.add_all(certificates)
            return
        except IntegrityError:
            if attempt == CODE_ATTEMPTS:
                raise


# --- evaluating ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    as_of: date
    now: datetime
    rescored: bool
    actor_id: int | None = None


def evaluate(
    user_ids: Collection[int] | None, as_of: date, now: datetime, *, rescored: bool = False
) -> list[Change]:
    """Evaluate the people (None: everyone) against every level on `as_of`; record what the
    lifecycle decides and return the status changes. `rescored`: the evaluation follows a
    regrade or a correction, so a certificate whose rule is no longer met is flagged for HR
    (never revoked by itself)."""
    levels = levels_in_order()
    plan = [(level, applicable_users(level, user_ids)) for level in levels]
    return _run(plan, user_ids, _Context(as_of, now, rescored))


def _run(plan: list[tuple[CertLevel, list[Person]]], user_ids: Collection[int] | None,
         context: _Context) -> list[Change]:
    if not plan:
        return []
    compiled = {level.id: rule_of(level) for level, _users in plan}
    people = {user.id: user for _level, users in plan for user in users}
    facts = gather(people.values(), wanted(compiled.values()))
    ledger = _Ledger.load([level.id for level, _users in plan], user_ids)
    changes = []
    for level, users in plan:
        for user in users:
            state = rules.evaluate(compiled[level.id], facts[user.id], context.as_of)
            change = _settle(level, user, state, ledger, context)
            if change is not None:
                changes.append(change)
            facts[user.id] = _with_level(facts[user.id], level.id, ledger)
    ledger.write()
    return changes


def _with_level(facts: rules.Facts, level_id: int, ledger: _Ledger) -> rules.Facts:
    """The person's facts with this level active or not, as just decided (for the levels
    that require it, evaluated after it)."""
    levels = dict(facts.active_levels)
    held = ledger.held.get((facts.user_id, level_id))
    if ledger.decided.get((facts.user_id, level_id)) in ACTIVE and held is not None:
        levels[level_id] = held.award.issued_on
    else:
        levels.pop(level_id, None)
    return replace(facts, active_levels=levels)


def _settle(level: CertLevel, user: Person, state: rules.State, ledger: _Ledger,
            context: _Context) -> Change | None:
    """Record every step the lifecycle decides for one person and level (an expiry, then a
    fresh award, in one run), and their status row."""
    key = (user.id, level.id)
    row = ledger.rows.get(key)
    flagged = row.flagged if row else False
    terms = terms_of(level)
    held = ledger.held.get(key)
    for decision in settle(held.award if held else None, held.expired_recorded if held else False,
                           state, context.as_of, terms, rescored=context.rescored,
                           flagged=flagged):
        flagged = flagged or decision.step == Step.FLAG
        _record(decision, level, user, ledger.held.get(key), ledger, context)
    held = ledger.held.get(key)
    status = status_of(held.award if held else None, state, context.as_of, terms)
    ledger.decided[key] = status
    leaves = state.leaves()
    values = {
        "status": str(status), "expires_on": held.award.expires_on if held else None,
        "met": sum(1 for leaf in leaves if leaf.met), "total": len(leaves),
    }
    certificate = held.pending if held else None
    if certificate is None:
        values["certificate_id"] = held.certificate_id if held else None
    if flagged and not (row and row.flagged):
        values.update(flagged_at=context.now, flag_reason=FLAG_REASON)
    _write_row(row, key, values, certificate, ledger, context)
    before = row.status if row else Status.NOT_STARTED
    if before == status:
        return None
    return Change(user.username, level.code, before, status)


def _write_row(row: _Row | None, key: tuple[int, int], values: dict[str, Any],
               certificate: Certificate | None, ledger: _Ledger, context: _Context) -> None:
    """Queue the status row's insert, or its update when anything in it changed."""
    if row is None:
        ledger.new_rows.append(({**values, "user_id": key[0], "level_id": key[1],
                                 "evaluated_at": context.now}, certificate))
        return
    same = (certificate is None and "flagged_at" not in values
            and (row.status, row.expires_on, row.met, row.total, row.certificate_id)
            == (values["status"], values["expires_on"], values["met"], values["total"],
                values["certificate_id"]))
    if not same:
        ledger.changed_rows.append(({**values, "id": row.id, "user_id": key[0],
                                     "level_id": key[1], "evaluated_at": context.now},
                                    certificate))


def _record(decision: Decision, level: CertLevel, user: Person, held: _Held | None,
            ledger: _Ledger, context: _Context) -> None:
    """Queue the rows one decision writes, and update the ledger as if they were written."""
    key = (user.id, level.id)
    event = {"user_id": user.id, "level_id": level.id, "kind": str(_STEP_EVENTS[decision.step]),
             "effective_on": context.as_of, "at": context.now,
             "rule_version_id": level.current_version_id, "actor_id": context.actor_id,
             "reason": None}
    if decision.step in (Step.AWARD, Step.RENEW):
        assert decision.issued_on is not None
        certificate = _certificate(level, user, decision.issued_on, decision.expires_on,
                                   renews=held if decision.step == Step.RENEW else None)
        ledger.certificates.append(certificate)
        ledger.events.append((event, certificate))
        ledger.held[key] = _Held(None, Award(decision.issued_on, decision.expires_on), False,
                                 certificate)
        return
    assert held is not None
    if decision.step == Step.EXPIRE:
        event["effective_on"] = held.award.expires_on or context.as_of
        held.expired_recorded = True
    else:
        event["reason"] = FLAG_REASON
    ledger.events.append(({**event, "certificate_id": held.certificate_id}, held.pending))


def _certificate(level: CertLevel, user: Person, issued_on: date, expires_on: date | None, *,
                 renews: _Held | None = None, manual: bool = False) -> Certificate:
    """A certificate saying what it says today: the holder's name, 工号 and the level's name
    are copied, so renaming either later leaves issued certificates as they were."""
    return Certificate(
        user_id=user.id, level_id=level.id, rule_version_id=level.current_version_id,
        renews_id=renews.certificate_id if renews else None, manual=manual,
        issued_on=issued_on, expires_on=expires_on, holder_name=user.display_name,
        employee_no=user.employee_no, level_name=level.name,
    )


# --- HR's decisions -----------------------------------------------------------------------


def award_manually(user: User, level: CertLevel, reason: str, *, actor: Any, as_of: date,
                   now: datetime) -> Certificate:
    """HR awards a level (an exception to the rule, or a certificate earned elsewhere); the
    reason is kept in the history and the audit log. Validity runs from `as_of`."""
    reason = _required(reason)
    expires = add_months(as_of, level.validity_months) if level.validity_months else None
    current = latest_certificate(user.id, level.id)
    certificate = _certificate(level, Person.of(user), as_of, expires, manual=True)
    certificate.renews_id = current.id if current and current.revoked_on is None else None
    _add_with_codes([certificate])
    db.session.add(CertEvent(user_id=user.id, level_id=level.id, kind=EventKind.MANUAL,
                             effective_on=as_of, at=now, certificate_id=certificate.id,
                             rule_version_id=level.current_version_id,
                             actor_id=getattr(actor, "id", None), reason=reason))
    record(actor, "certification.awarded", certificate, user_id=user.id, level=level.code,
           reason=reason, expires_on=expires.isoformat() if expires else None)
    _refresh(user, level, as_of, now)
    return certificate


def revoke(certificate: Certificate, reason: str, *, actor: Any, as_of: date,
           now: datetime) -> None:
    """HR revokes a certificate (with a reason); it stays revoked until new evidence made
    after today, or HR, awards the level again. A pending flag is settled by it."""
    reason = _required(reason)
    if certificate.revoked_on is not None:
        raise DomainError(_("该证书已撤销。"))
    certificate.revoked_on, certificate.revoked_reason = as_of, reason
    db.session.add(CertEvent(user_id=certificate.user_id, level_id=certificate.level_id,
                             kind=EventKind.REVOKED, effective_on=as_of, at=now,
                             certificate_id=certificate.id,
                             rule_version_id=certificate.rule_version_id,
                             actor_id=getattr(actor, "id", None), reason=reason))
    _clear_flag(certificate.user_id, certificate.level_id)
    record(actor, "certification.revoked", certificate, user_id=certificate.user_id,
           level=certificate.level.code, reason=reason)
    _refresh(certificate.user, certificate.level, as_of, now)


def keep_flagged(status: CertStatus, reason: str, *, actor: Any, as_of: date,
                 now: datetime) -> None:
    """HR looked at a flagged certificate and keeps it (with a reason); the flag is settled."""
    reason = _required(reason)
    if status.flagged_at is None:
        raise DomainError(_("该认证没有待处理的标记。"))
    db.session.add(CertEvent(user_id=status.user_id, level_id=status.level_id,
                             kind=EventKind.FLAG_KEPT, effective_on=as_of, at=now,
                             certificate_id=status.certificate_id,
                             actor_id=getattr(actor, "id", None), reason=reason))
    status.flagged_at, status.flag_reason = None, None
    record(actor, "certification.flag_kept", status, user_id=status.user_id,
           level=status.level.code, reason=reason)
    db.session.flush()


def revoke_flagged(status: CertStatus, reason: str, *, actor: Any, as_of: date,
                   now: datetime) -> None:
    """HR looked at a flagged certificate and revokes it."""
    if status.flagged_at is None or status.certificate is None:
        raise DomainError(_("该认证没有待处理的标记。"))
    revoke(status.certificate, reason, actor=actor, as_of=as_of, now=now)


def latest_certificate(user_id: int, level_id: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.level_id == level_id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc()).limit(1))


def _required(reason: str) -> str:
    if not reason or not reason.strip():
        raise DomainError(_("请填写原因。"))
    return reason.strip()


def _clear_flag(user_id: int, level_id: int) -> None:
    db.session.execute(update(CertStatus).where(
        CertStatus.user_id == user_id, CertStatus.level_id == level_id
    ).values(flagged_at=None, flag_reason=None))


def _refresh(user: User, level: CertLevel, as_of: date, now: datetime) -> list[Change]:
    """Re-evaluate one person after HR's decision, the decided level included even when it
    does not apply to them by department or position (HR may award anyone)."""
    db.session.flush()
    plan = []
    for each in levels_in_order(include_archived=True):
        users = applicable_users(each, [user.id])
        if each.id == level.id and not users:
            users = [Person.of(user)]
        if users and (not each.archived or each.id == level.id):
            plan.append((each, users))
    return _run(plan, [user.id], _Context(as_of, now, rescored=False))



# --- reacting to events -------------------------------------------------------------------


def on_evidence(user_id: int, now: datetime) -> None:
    """Something that can change a status happened to the person: evaluate them, today."""
    evaluate([user_id], local_day(now), now)


def on_rescored(user_id: int, now: datetime) -> None:
    """A finished attempt's score changed: evaluate, flagging a certificate it took away."""
    evaluate([user_id], local_day(now), now, rescored=True)


# --- reading statuses ---------------------------------------------------------------------


@dataclass(frozen=True)
class LevelStatus:
    """One person's standing at one level, with the certificate it rests on (if any)."""

    level: CertLevel
    status: Status
    certificate: Certificate | None  # the latest, also when expired or revoked
    row: CertStatus | None  # None: never evaluated

    def as_json(self) -> dict[str, Any]:
        """The `cert status --json` / API item: dates as ISO days, the code as printed."""
        certificate = self.certificate
        return {
            "level": self.level.code, "status": str(self.status),
            "issued_at": certificate.issued_on.isoformat() if certificate else None,
            "expires_at": certificate.expires_on.isoformat()
            if certificate and certificate.expires_on else None,
            "code": format_code(certificate.code) if certificate else None,
        }


def statuses_of(user: User) -> list[LevelStatus]:
    """The person's status at each level that applies to them or that they were evaluated
    at, in the levels' order; the certificate is the latest one of each level."""
    rows = {row.level_id: row for row in db.session.scalars(
        select(CertStatus).where(CertStatus.user_id == user.id))}
    latest: dict[int, Certificate] = {}
    for certificate in db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_on, Certificate.id)
    ):
        latest[certificate.level_id] = certificate
    found = []
    for level in levels_in_order():
        row = rows.get(level.id)
        if row is None and not applicable_users(level, [user.id]):
            continue
        status = Status(row.status) if row else Status.NOT_STARTED
        found.append(LevelStatus(level, status, latest.get(level.id), row))
    return found


# --- saving levels ------------------------------------------------------------------------


def save_level(values: Level, *, actor: Any, level: CertLevel | None = None,
               sort_order: int | None = None) -> CertLevel:
    """Create a level, or update one (by default the one with this code); a changed rule
    becomes a new rule version (certificates keep the version they were awarded under), an
    unchanged rule keeps its version."""
    if level is None:
        level = db.session.scalar(select(CertLevel).where(CertLevel.code == values.code)) \
            or CertLevel(code=values.code)
        db.session.add(level)
    level.code, level.name, level.description = values.code, values.name, values.description
    level.validity_months, level.expiry_base = values.validity_months, str(values.expiry_base)
    level.window_days = values.window_days
    level.department_ids, level.positions = list(values.department_ids), list(values.positions)
    level.prerequisite_ids = list(values.prerequisite_ids)
    if sort_order is not None:
        level.sort_order = sort_order
    db.session.flush()
    if level.id in level.prerequisite_ids:
        raise DomainError(_("认证等级不能以自己为前置等级：%(name)s", name=level.name))
    version = _rule_version(level, values.rule, actor)
    prerequisite_order(list(db.session.scalars(select(CertLevel))))  # refuses a cycle
    record(actor, "certification.level_saved", level, code=level.code,
           version=version.number if version else None)
    return level


def _rule_version(level: CertLevel, rule: rules.Rule, actor: Any) -> CertRuleVersion | None:
    """A new version when the rule differs from the current one (None: unchanged)."""
    stored = rules.to_dict(rule)
    current = level.current_version
    if current is not None and current.rule == stored:
        return None
    number = (current.number if current else 0) + 1
    version = CertRuleVersion(level_id=level.id, number=number, rule=stored,
                              created_by_id=getattr(actor, "id", None))
    db.session.add(version)
    db.session.flush()
    level.current_version = version
    return version


def as_level(level: CertLevel) -> Level:
    """A stored level as the YAML file and the form hold it."""
    assert level.current_version is not None
    return Level(
        level.code, level.name, rules.from_dict(level.current_version.rule), level.description,
        level.validity_months, ExpiryBase(level.expiry_base), level.window_days,
        tuple(level.department_ids), tuple(level.positions), tuple(level.prerequisite_ids),
    )


# --- the YAML file ------------------------------------------------------------------------


class ImportRefused(DomainError):
    """A level file that cannot be imported; nothing of it was saved. `problems` name lines."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("认证等级文件有 %(n)d 处问题，未导入任何内容。", n=len(problems)))
        self.problems = problems


_LOOKUPS: dict[str, dict[str, Any]] = {
    "exam": {"title": Exam.title, "id": Exam.id},
    "course": {"title": Course.title, "id": Course.id},
    "scenario": {"slug": Scenario.key, "title": Scenario.title, "id": Scenario.id},
    "manual": {"title": Manual.title, "id": Manual.id},
    "level": {"code": CertLevel.code, "id": CertLevel.id},
    "department": {"path": Department.path, "id": Department.id},
}


def resolve_name(kind: str, by: str, value: str | int) -> int | None:
    """The id of what a level file names (`rule_yaml.Resolver`); the newest when a title is
    shared (exams may repeat a title from one year to the next)."""
    column = _LOOKUPS[kind][by]
    key = _LOOKUPS[kind]["id"]
    return db.session.scalar(select(key).where(column == value).order_by(key.desc()).limit(1))


def name_of(kind: str, ident: int) -> str | None:
    """What a level file writes for an id (`rule_yaml.NameOf`); None: gone, written by id."""
    lookup = _LOOKUPS[kind]
    return db.session.scalar(select(next(iter(lookup.values()))).where(lookup["id"] == ident))


def import_levels(text: str, *, actor: Any, source: str = "") -> list[CertLevel]:
    """Save every level of a file, or none: the file is read and every name resolved before
    anything is written (the file's own level codes count as known), then new levels are
    created so that the rules and prerequisites naming them resolve to their ids."""
    try:
        specs = parse(text, source)
        codes = {spec.code for spec in specs}
        resolve_levels(specs, _with_codes(codes))  # every problem, before any write
    except CertFileError as error:
        raise ImportRefused(list(error.problems)) from error
    _refuse_taken_names(specs)
    for spec in specs:
        if resolve_name("level", "code", spec.code) is None:
            db.session.add(CertLevel(code=spec.code, name=spec.name))
    db.session.flush()
    saved = [save_level(level, actor=actor, sort_order=order)
             for order, level in enumerate(resolve_levels(specs, resolve_name))]
    record(actor, "certification.imported", None, levels=[level.code for level in saved])
    return saved


def _with_codes(codes: set[str]) -> Callable[[str, str, str | int], int | None]:
    """The resolver with the file's own level codes known (as a placeholder id)."""
    def resolver(kind: str, by: str, value: str | int) -> int | None:
        if kind == "level" and by == "code" and value in codes:
            return 0
        return resolve_name(kind, by, value)
    return resolver


def _refuse_taken_names(specs: list[LevelSpec]) -> None:
    """A level's name is unique: refuse a file giving a name another level's code holds."""
    holders = {name: code for name, code in db.session.execute(select(CertLevel.name, CertLevel.code))}
    problems = [
        Problem(spec.line, spec.code, "name", N_("等级名称已被其他等级使用：%(name)s", name=spec.name))
        for spec in specs if holders.get(spec.name, spec.code) != spec.code
    ]
    if problems:
        raise ImportRefused(problems)


def export_levels() -> str:
    """Every level with a rule, as one file `import_levels` reads back."""
    return dump([as_level(level) for level in levels_in_order(include_archived=True)], name_of)


# --- previewing a rule change -------------------------------------------------------------


def preview_change(values: Level, as_of: date, *, level: CertLevel | None = None) -> Preview:
    """What saving `values` would do on `as_of`, over current records: who would hold the
    level, who newly, who would lose it (`preview.preview`). Nothing is written."""
    draft = CertLevel(code=values.code, name=values.name, department_ids=list(values.department_ids),
                      positions=list(values.positions))
    people = applicable_users(draft)
    old = rule_of(level) if level is not None and level.current_version else None
    new = rules.with_prerequisites(values.rule, values.prerequisite_ids)
    facts = gather(people, wanted([new] + ([old] if old else [])))
    awards: dict[int, Award] = {}
    expired: set[int] = set()
    if level is not None:
        ledger = _Ledger.load([level.id], None)
        for (user_id, _level_id), held in ledger.held.items():
            awards[user_id] = held.award
            if held.expired_recorded:
                expired.add(user_id)
    terms = Terms(values.validity_months, values.expiry_base, values.window_days)
    return preview(old, new, facts.values(), awards, as_of, terms, expired_recorded=expired)
