"""A certification's lifecycle for one employee and one level, as plain data.

Pure Python. Dates, not times: a certificate is issued on a day and stops being valid on a day.

- `expires_on` is the first day the certificate is no longer valid (None: never expires).
  On the day before, it is valid; on that day and after, 已过期.
- 即将到期 (in the recertification window) from `expires_on - window_days` (inclusive) until
  `expires_on` (exclusive).
- Issued on the day the evaluation finds the rule met (`as_of`), or the day HR awards it.
  `expires_on = issued_on + validity_months`; a renewal in the window with the expiry base
  "previous expiry" extends from the previous `expires_on` instead.
- Renewal: while active and inside the window, the rule met with evidence made inside the
  window (`State.met_at >= window start`). After expiry, the rule met with evidence made after
  the previous issue day awards afresh (from the day evaluated).
- Revocation sticks: after one, only evidence made after the revocation, or HR, awards again.
- An award whose `expires_on` would already be on or before the day evaluated is not made.
- Nothing is revoked automatically. A rescore (regrade, correction) after which an active
  certification's rule is no longer met flags it for HR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from training.certification.months import add_months as add_months  # the lifecycle's calendar
from training.certification.rules import State


class Status(StrEnum):
    NOT_STARTED = "not_started"  # 未开始
    IN_PROGRESS = "in_progress"  # 进行中: some requirements met
    CERTIFIED = "certified"  # 已认证
    EXPIRING = "expiring"  # 即将到期: inside the recertification window
    EXPIRED = "expired"  # 已过期
    REVOKED = "revoked"  # 已撤销


ACTIVE = frozenset({Status.CERTIFIED, Status.EXPIRING})


class ExpiryBase(StrEnum):
    COMPLETION = "completion"  # a renewal runs from the day it is earned
    PREVIOUS_EXPIRY = "previous_expiry"  # a renewal in the window runs on from the old expiry


@dataclass(frozen=True)
class Terms:
    """What a level says about validity (from `CertLevel`)."""

    validity_months: int | None  # None: never expires
    expiry_base: ExpiryBase = ExpiryBase.COMPLETION
    window_days: int = 30


@dataclass(frozen=True)
class Award:
    """The employee's latest certificate for the level, as far as the lifecycle cares."""

    issued_on: date
    expires_on: date | None
    revoked_on: date | None = None


class Step(StrEnum):
    AWARD = "awarded"
    RENEW = "renewed"
    EXPIRE = "expired"
    FLAG = "flagged"


@dataclass(frozen=True)
class Decision:
    """What an evaluation must record: a step, and for an award or renewal its dates."""

    step: Step
    issued_on: date | None = None
    expires_on: date | None = None


def status_of(award: Award | None, state: State, as_of: date, terms: Terms) -> Status:
    """The status shown on `as_of`: from the latest award if there is one, else from the rule."""
    if award is None or award.issued_on > as_of:
        return Status.IN_PROGRESS if state.any_met else Status.NOT_STARTED
    if award.revoked_on is not None and award.revoked_on <= as_of:
        return Status.REVOKED
    if award.expires_on is None:
        return Status.CERTIFIED
    if as_of >= award.expires_on:
        return Status.EXPIRED
    return Status.EXPIRING if as_of >= window_start(award.expires_on, terms) else Status.CERTIFIED


def window_start(expires_on: date, terms: Terms) -> date:
    """The first day of the recertification window (即将到期) before `expires_on`."""
    return expires_on - timedelta(days=terms.window_days)


def decide(
    award: Award | None,
    expired_recorded: bool,
    state: State,
    as_of: date,
    terms: Terms,
    *,
    rescored: bool = False,
    flagged: bool = False,
) -> Decision | None:
    """What to record now, if anything; evaluating again with the result recorded gives None.

    `expired_recorded`: the latest award's expiry already has its history row. `rescored`: the
    evaluation follows a rescore, so an active award whose rule is no longer met is flagged;
    `flagged`: it already is, and HR has not decided yet. An expiry recorded may be followed by
    a fresh award the same day, so the caller asks again after recording a step (at most twice).
    """
    if award is None:
        return _award(Step.AWARD, as_of, as_of, terms) if state.met else None
    if award.issued_on > as_of:
        return None  # evaluating a day before the latest certificate: nothing to say
    if award.revoked_on is not None and award.revoked_on <= as_of:
        return _afresh(state, award.revoked_on, as_of, terms)
    if award.expires_on is not None and as_of >= award.expires_on:
        if not expired_recorded:
            return Decision(Step.EXPIRE)
        return _afresh(state, award.issued_on, as_of, terms)
    if rescored and not state.met:
        return None if flagged else Decision(Step.FLAG)
    return _renewal(award, state, as_of, terms)


def _afresh(state: State, after: date, as_of: date, terms: Terms) -> Decision | None:
    """A new award after expiry or revocation: only on evidence made after the day `after`."""
    if state.met and state.met_at is not None and state.met_at.date() > after:
        return _award(Step.AWARD, as_of, as_of, terms)
    return None


def _renewal(award: Award, state: State, as_of: date, terms: Terms) -> Decision | None:
    """An active award renewed in its window, on evidence made in the window (and after the
    award itself, so that a window longer than the validity cannot renew twice a day)."""
    if award.expires_on is None or as_of < window_start(award.expires_on, terms):
        return None
    fresh_from = max(window_start(award.expires_on, terms), award.issued_on + timedelta(days=1))
    if not state.met or state.met_at is None or state.met_at.date() < fresh_from:
        return None
    base = award.expires_on if terms.expiry_base == ExpiryBase.PREVIOUS_EXPIRY else as_of
    return _award(Step.RENEW, as_of, base, terms)


def _award(step: Step, as_of: date, base: date, terms: Terms) -> Decision | None:
    """An award or renewal issued `as_of`, valid for the level's months from `base`."""
    if terms.validity_months is None:
        return Decision(step, as_of, None)
    expires_on = add_months(base, terms.validity_months)
    return Decision(step, as_of, expires_on) if expires_on > as_of else None


def settle(
    award: Award | None,
    expired_recorded: bool,
    state: State,
    as_of: date,
    terms: Terms,
    *,
    rescored: bool = False,
    flagged: bool = False,
) -> list[Decision]:
    """Every step to record now, in order: `decide` asked again after each step is recorded,
    until it has nothing more to say (an expiry may be followed by a fresh award the same day).

    It ends: after an award the evidence is never newer than the award, after a flag the award
    is flagged, and after an expiry only an award can follow."""
    steps: list[Decision] = []
    while decision := decide(
        award, expired_recorded, state, as_of, terms, rescored=rescored, flagged=flagged
    ):
        steps.append(decision)
        award, expired_recorded, flagged = _recorded(award, expired_recorded, flagged, decision)
    return steps


def _recorded(
    award: Award | None, expired_recorded: bool, flagged: bool, decision: Decision
) -> tuple[Award | None, bool, bool]:
    """The latest award and its marks once `decision` is recorded."""
    if decision.step is Step.EXPIRE:
        return award, True, flagged
    if decision.step is Step.FLAG:
        return award, expired_recorded, True
    assert decision.issued_on is not None  # an award or renewal always has its day
    return Award(decision.issued_on, decision.expires_on), False, False
