"""What a changed rule would do before HR saves it: who would hold the level, who would be
newly certified, and who would lose it.

Pure Python, over the same records the evaluation reads. Nothing is revoked automatically, so a
holder the new rule no longer covers keeps the certificate until it expires; they are counted
as losing it, because they could neither renew it nor earn it again under the new rule.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from training.certification.lifecycle import ACTIVE, Award, Terms, settle, status_of
from training.certification.rules import Facts, Rule, State, evaluate


@dataclass(frozen=True)
class Preview:
    """User ids by what the new rule would mean for them on the day previewed."""

    certified: tuple[int, ...]  # would hold a valid certificate once the new rule is evaluated
    newly_certified: tuple[int, ...]  # of those, not holding one under the current rule
    losing: tuple[int, ...]  # holding one under the current rule, not meeting the new rule


def preview(
    old: Rule | None,
    new: Rule,
    people: Iterable[Facts],
    awards: Mapping[int, Award],
    as_of: date,
    terms: Terms,
    *,
    expired_recorded: Collection[int] = frozenset(),
) -> Preview:
    """Compare the current rule `old` (None: a new level) with `new` for `people` on `as_of`.

    Pass the rules as evaluated (`rules.with_prerequisites`), the people the level applies to,
    each one's latest award by user id, and the user ids whose latest award's expiry is already
    recorded. "Holding" means what an evaluation under that rule would leave: the award as it
    stands after any award, renewal or expiry the rule brings today."""
    certified, newly, losing = [], [], []
    for facts in people:
        award = awards.get(facts.user_id)
        expired = facts.user_id in expired_recorded
        state_new = evaluate(new, facts, as_of)
        holds_now = old is not None and _holds(
            award, expired, evaluate(old, facts, as_of), as_of, terms
        )
        if _holds(award, expired, state_new, as_of, terms):
            certified.append(facts.user_id)
            if not holds_now:
                newly.append(facts.user_id)
        if holds_now and not state_new.met:
            losing.append(facts.user_id)
    return Preview(tuple(certified), tuple(newly), tuple(losing))


def _holds(award: Award | None, expired: bool, state: State, as_of: date, terms: Terms) -> bool:
    """Whether a valid certificate stands once the rule's state is evaluated and recorded."""
    for decision in settle(award, expired, state, as_of, terms):
        if decision.issued_on is not None:
            award = Award(decision.issued_on, decision.expires_on)
    return status_of(award, state, as_of, terms) in ACTIVE
