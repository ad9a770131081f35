"""One employee's certification over time: statuses at the boundaries, awards, renewals,
expiry, revocation and regrade flags, each recorded once."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from training.certification.lifecycle import (
    Award,
    Decision,
    ExpiryBase,
    Status,
    Step,
    Terms,
    add_months,
    decide,
    status_of,
)
from training.certification.rules import AllOf, ExamPassed, ManualConfirmed, State

YEARLY = Terms(validity_months=12, expiry_base=ExpiryBase.COMPLETION, window_days=30)
YEARLY_ON = Terms(validity_months=12, expiry_base=ExpiryBase.PREVIOUS_EXPIRY, window_days=30)
FOREVER = Terms(validity_months=None)
# Issued 10 Jan 2026, valid until 9 Jan 2027: 10 Jan 2027 is the first day no longer valid, and
# the 30-day window opens on 11 Dec 2026.
ISSUED = Award(issued_on=date(2026, 1, 10), expires_on=date(2027, 1, 10))
EXAM = ExamPassed(1, 80)


def met(on: date | None) -> State:
    return State(EXAM, True, datetime(on.year, on.month, on.day, 15) if on else None)


UNMET = State(EXAM, False)
PARTLY = State(
    AllOf((EXAM, ManualConfirmed(2))), False,
    children=(State(EXAM, True, datetime(2026, 1, 5)), State(ManualConfirmed(2), False)),
)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
    (date(2026, 11, 15), 3, date(2027, 2, 15)),
    (date(2026, 1, 15), -13, date(2024, 12, 15)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
])
def test_add_months_clamps_to_the_months_last_day(start, months, expected):
    assert add_months(start, months) == expected


# --- status on a given day ----------------------------------------------------------------


@pytest.mark.parametrize(("day", "status"), [
    (date(2026, 12, 10), Status.CERTIFIED),  # the day before the window
    (date(2026, 12, 11), Status.EXPIRING),  # the window's first day
    (date(2026, 12, 12), Status.EXPIRING),
    (date(2027, 1, 9), Status.EXPIRING),  # the last valid day
    (date(2027, 1, 10), Status.EXPIRED),  # expires_on itself
    (date(2027, 1, 11), Status.EXPIRED),
])
def test_status_at_the_window_and_expiry_boundaries(day, status):
    assert status_of(ISSUED, UNMET, day, YEARLY) == status


def test_status_without_an_award_follows_the_rule():
    assert status_of(None, UNMET, date(2026, 1, 5), YEARLY) == Status.NOT_STARTED
    assert status_of(None, PARTLY, date(2026, 1, 5), YEARLY) == Status.IN_PROGRESS


def test_status_of_revoked_and_never_expiring_awards():
    revoked = Award(date(2026, 1, 10), date(2027, 1, 10), revoked_on=date(2026, 3, 1))
    assert status_of(revoked, met(date(2026, 1, 9)), date(2026, 2, 28), YEARLY) == Status.CERTIFIED
    assert status_of(revoked, met(date(2026, 1, 9)), date(2026, 3, 1), YEARLY) == Status.REVOKED
    forever = Award(date(2020, 1, 1), None)
    assert status_of(forever, UNMET, date(2040, 1, 1), FOREVER) == Status.CERTIFIED


# --- awards ---------------------------------------------------------------------------------


def test_first_award_runs_from_the_day_evaluated():
    decision = decide(None, False, met(date(2026, 1, 8)), date(2026, 1, 10), YEARLY)
    assert decision == Decision(Step.AWARD, date(2026, 1, 10), date(2027, 1, 10))


def test_award_never_expiring():
    decision = decide(None, False, met(date(2026, 1, 8)), date(2026, 1, 10), FOREVER)
    assert decision == Decision(Step.AWARD, date(2026, 1, 10), None)


def test_award_on_31_january_for_one_month_ends_with_february():
    terms = Terms(validity_months=1)
    decision = decide(None, False, met(date(2026, 1, 31)), date(2026, 1, 31), terms)
    assert decision == Decision(Step.AWARD, date(2026, 1, 31), date(2026, 2, 28))


def test_no_award_while_the_rule_is_unmet():
    assert decide(None, False, PARTLY, date(2026, 1, 10), YEARLY) is None


def test_no_award_that_would_already_have_expired():
    assert decide(None, False, met(date(2026, 1, 8)), date(2026, 1, 10), Terms(0)) is None


def test_evaluating_again_after_the_award_changes_nothing():
    state = met(date(2026, 1, 10))
    decision = decide(None, False, state, date(2026, 1, 10), YEARLY)
    assert decision is not None
    recorded = Award(decision.issued_on, decision.expires_on)
    assert decide(recorded, False, state, date(2026, 1, 10), YEARLY) is None
    assert decide(recorded, False, state, date(2026, 6, 1), YEARLY) is None


# --- renewal in the window ----------------------------------------------------------------


def test_renewal_in_the_window_extends_from_the_previous_expiry():
    decision = decide(ISSUED, False, met(date(2026, 12, 20)), date(2026, 12, 21), YEARLY_ON)
    assert decision == Decision(Step.RENEW, date(2026, 12, 21), date(2028, 1, 10))


def test_renewal_in_the_window_runs_from_the_day_when_based_on_completion():
    decision = decide(ISSUED, False, met(date(2026, 12, 20)), date(2026, 12, 21), YEARLY)
    assert decision == Decision(Step.RENEW, date(2026, 12, 21), date(2027, 12, 21))


def test_renewal_needs_evidence_made_inside_the_window():
    # The window opens on 11 Dec; a pass on 10 Dec is from before it.
    assert decide(ISSUED, False, met(date(2026, 12, 10)), date(2026, 12, 21), YEARLY_ON) is None
    on_first_day = decide(ISSUED, False, met(date(2026, 12, 11)), date(2026, 12, 11), YEARLY_ON)
    assert on_first_day == Decision(Step.RENEW, date(2026, 12, 11), date(2028, 1, 10))


def test_no_renewal_before_the_window_even_with_fresh_evidence():
    assert decide(ISSUED, False, met(date(2026, 12, 10)), date(2026, 12, 10), YEARLY_ON) is None


def test_renewal_recorded_is_not_renewed_again():
    renewed = Award(date(2026, 12, 21), date(2028, 1, 10))
    assert decide(renewed, False, met(date(2026, 12, 20)), date(2026, 12, 21), YEARLY_ON) is None


def test_a_window_longer_than_the_validity_renews_once_per_fresh_evidence():
    terms = Terms(validity_months=1, window_days=60)
    award = Award(date(2026, 3, 1), date(2026, 4, 1))
    assert decide(award, False, met(date(2026, 3, 1)), date(2026, 3, 1), terms) is None
    fresh = decide(award, False, met(date(2026, 3, 2)), date(2026, 3, 2), terms)
    assert fresh == Decision(Step.RENEW, date(2026, 3, 2), date(2026, 4, 2))


# --- expiry ---------------------------------------------------------------------------------


def test_expiry_is_recorded_once_on_its_day():
    stale = met(date(2026, 1, 9))
    assert decide(ISSUED, False, stale, date(2027, 1, 9), YEARLY) is None
    assert decide(ISSUED, False, stale, date(2027, 1, 10), YEARLY) == Decision(Step.EXPIRE)
    assert decide(ISSUED, True, stale, date(2027, 1, 10), YEARLY) is None
    assert decide(ISSUED, True, stale, date(2027, 3, 1), YEARLY) is None


def test_after_expiry_fresh_evidence_awards_afresh_from_the_day():
    fresh = met(date(2027, 2, 1))
    assert decide(ISSUED, False, fresh, date(2027, 2, 3), YEARLY_ON) == Decision(Step.EXPIRE)
    decision = decide(ISSUED, True, fresh, date(2027, 2, 3), YEARLY_ON)
    assert decision == Decision(Step.AWARD, date(2027, 2, 3), date(2028, 2, 3))


def test_after_expiry_evidence_from_the_old_issue_day_does_not_award():
    assert decide(ISSUED, True, met(date(2026, 1, 10)), date(2027, 2, 3), YEARLY) is None


# --- revocation and flags -------------------------------------------------------------------

REVOKED = Award(date(2026, 1, 10), date(2027, 1, 10), revoked_on=date(2026, 3, 1))


def test_revocation_sticks_while_the_evidence_is_old():
    assert decide(REVOKED, False, met(date(2026, 3, 1)), date(2026, 4, 1), YEARLY) is None


def test_evidence_after_the_revocation_awards_again():
    decision = decide(REVOKED, False, met(date(2026, 3, 2)), date(2026, 4, 1), YEARLY)
    assert decision == Decision(Step.AWARD, date(2026, 4, 1), date(2027, 4, 1))


def test_rescore_that_breaks_the_rule_flags_an_active_award_once():
    day = date(2026, 5, 1)
    assert decide(ISSUED, False, UNMET, day, YEARLY, rescored=True) == Decision(Step.FLAG)
    assert decide(ISSUED, False, UNMET, day, YEARLY, rescored=True, flagged=True) is None


def test_no_flag_without_a_rescore_or_while_the_rule_still_holds():
    day = date(2026, 5, 1)
    assert decide(ISSUED, False, UNMET, day, YEARLY) is None
    assert decide(ISSUED, False, met(date(2026, 1, 9)), day, YEARLY, rescored=True) is None


def test_no_flag_on_an_expired_or_revoked_award():
    assert decide(REVOKED, False, UNMET, date(2026, 4, 1), YEARLY, rescored=True) is None
    assert decide(ISSUED, True, UNMET, date(2027, 2, 1), YEARLY, rescored=True) is None
