"""Before a rule change is saved: who would hold the level, who newly, who would lose it; and
`settle`, the steps an evaluation records in one go."""

from __future__ import annotations

from datetime import date, datetime

from training.certification.lifecycle import Award, Decision, Step, Terms, settle
from training.certification.preview import preview
from training.certification.rules import AttemptFact, ExamPassed, Facts, State

TODAY = date(2026, 6, 15)
TERMS = Terms(validity_months=12, window_days=30)
OLD = ExamPassed(1, min_percent=60)
NEW = ExamPassed(1, min_percent=80)


def scored(user_id: int, percent: float) -> Facts:
    return Facts(user_id, attempts=(AttemptFact(1, percent, True, datetime(2026, 3, 1, 10)),))


def test_preview_counts_holders_newcomers_and_losers():
    people = [scored(1, 90), scored(2, 70), scored(3, 95), scored(4, 50), Facts(5)]
    awards = {
        1: Award(date(2026, 3, 2), date(2027, 3, 2)),  # holds it and keeps qualifying
        2: Award(date(2026, 3, 2), date(2027, 3, 2)),  # holds it, 70 is short of the new 80
        # 3 scored 95 and was never evaluated: the old rule would award today as well
        4: Award(date(2025, 1, 1), date(2026, 1, 1)),  # expired, 50 meets neither rule
    }
    result = preview(OLD, NEW, people, awards, TODAY, TERMS, expired_recorded={4})
    assert result.certified == (1, 2, 3)  # 2 keeps the certificate until it expires
    assert result.newly_certified == ()
    assert result.losing == (2,)


def test_preview_of_a_lower_mark_certifies_newcomers():
    people = [scored(1, 90), scored(2, 70)]
    awards = {1: Award(date(2026, 3, 2), date(2027, 3, 2))}
    result = preview(NEW, ExamPassed(1, min_percent=65), people, awards, TODAY, TERMS)
    assert (result.certified, result.newly_certified, result.losing) == ((1, 2), (2,), ())


def test_preview_of_a_new_level_certifies_everyone_who_meets_it():
    people = [scored(1, 90), scored(2, 70)]
    result = preview(None, NEW, people, {}, TODAY, TERMS)
    assert (result.certified, result.newly_certified, result.losing) == ((1,), (1,), ())


def test_preview_of_an_expired_holder_with_fresh_evidence_certifies_anew():
    people = [Facts(7, attempts=(AttemptFact(1, 85, True, datetime(2026, 6, 1)),))]
    awards = {7: Award(date(2025, 1, 1), date(2026, 1, 1))}
    result = preview(OLD, NEW, people, awards, TODAY, TERMS)
    assert (result.certified, result.newly_certified) == ((7,), ())  # the old rule too


def test_settle_records_an_expiry_then_a_fresh_award_the_same_day():
    state = State(NEW, True, datetime(2026, 6, 1, 9))
    expired = Award(date(2025, 1, 1), date(2026, 1, 1))
    assert settle(expired, False, state, TODAY, TERMS) == [
        Decision(Step.EXPIRE),
        Decision(Step.AWARD, TODAY, date(2027, 6, 15)),
    ]
    fresh = Award(TODAY, date(2027, 6, 15))
    assert settle(fresh, False, state, TODAY, TERMS) == []


def test_settle_flags_once():
    award = Award(date(2026, 3, 2), date(2027, 3, 2))
    unmet = State(NEW, False)
    assert settle(award, False, unmet, TODAY, TERMS, rescored=True) == [Decision(Step.FLAG)]
    assert settle(award, False, unmet, TODAY, TERMS, rescored=True, flagged=True) == []
