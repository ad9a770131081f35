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
- Nothing is revoked automatically. A rescore (regrade, correction) after which an active
  certification's rule is no longer met flags it for HR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    raise NotImplementedError  # cert-core implements


def status_of(award: Award | None, state: State, as_of: date, terms: Terms) -> Status:
    """The status shown on `as_of`: from the latest award if there is one, else from the rule."""
    raise NotImplementedError  # cert-core implements


def decide(
    award: Award | None,
    expired_recorded: bool,
    state: State,
    as_of: date,
    terms: Terms,
    *,
    rescored: bool = False,
) -> Decision | None:
    """What to record now, if anything; evaluating again with the result recorded gives None.

    `expired_recorded`: the latest award's expiry already has its history row. `rescored`: the
    evaluation follows a rescore, so an active award whose rule is no longer met is flagged.
    """
    raise NotImplementedError  # cert-core implements
