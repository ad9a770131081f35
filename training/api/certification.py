"""Certification API views: the public verification of a code, and my own certifications.

`GET /api/v1/verify/<code>` is open to everyone and answers exactly what the /verify page shows
(see `training.certification.verification`): an unknown or malformed code is one `not_found`.
`GET /api/v1/me/certifications` is `cert status USERNAME --json` for the caller, with each
requirement's state, worded as 我的认证 words it.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from training.access import authenticated, public
from training.api import bp
from training.api.errors import api_error
from training.certification import rules
from training.certification.display import Line, Names, rule_lines
from training.certification.facts import gather, wanted
from training.certification.rules import (
    CourseCompleted,
    ExamPassed,
    LevelActive,
    ManualConfirmed,
    MinimumTenure,
    ScenarioPassed,
    State,
)
from training.certification.services import LevelStatus, rule_of, statuses_of
from training.certification.verification import Verdict, lookup_limit, verify
from training.database import utcnow
from training.people.models import User
from training.timezones import local_day

# The kind each requirement is called by (the keys of its stored form, `rules.to_dict`).
KINDS: dict[type, str] = {
    ExamPassed: "exam", CourseCompleted: "course", ScenarioPassed: "scenario",
    ManualConfirmed: "manual", MinimumTenure: "tenure", LevelActive: "level",
}


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "status": str(verdict.validity),
        "level": verdict.level_name,
        "holder": verdict.holder,
        "issued_on": verdict.issued_on.isoformat(),
        "expires_on": verdict.expires_on.isoformat() if verdict.expires_on else None,
    }


@bp.route("/verify/<code>")
@public
@lookup_limit
def verify_code(code: str):
    verdict = verify(code, local_day(utcnow()))
    if verdict is None:
        return api_error(404, "not_found", _("未找到该证书。"))
    return jsonify(verdict_json(verdict))


def requirement_json(state: State, line: Line) -> dict[str, Any]:
    """One requirement: its kind, the words 我的认证 shows, met, and how close where it says."""
    rule = state.rule
    body: dict[str, Any] = {"kind": KINDS[type(rule)], "label": line.text, "met": state.met}
    if isinstance(rule, ExamPassed | ScenarioPassed):
        body["best"] = state.best
        body["needed"] = rule.min_percent if isinstance(rule, ExamPassed) else rule.min_score
    elif isinstance(rule, MinimumTenure):
        body["needed"] = rule.months
    return body


def requirement_states(user: User, entries: list[LevelStatus]) -> list[State]:
    """The user's record against each level's current rule, today (one query per kind)."""
    level_rules = [rule_of(entry.level) for entry in entries]
    facts = gather([user], wanted(level_rules))[user.id]
    today = local_day(utcnow())
    return [rules.evaluate(rule, facts, today) for rule in level_rules]


def leaf_lines(line: Line) -> list[Line]:
    """The requirement lines of a rule's tree, in rule order (as `State.leaves()`)."""
    if not line.group:
        return [line]
    return [leaf for child in line.children for leaf in leaf_lines(child)]


@bp.route("/me/certifications")
@authenticated
def my_certifications():
    entries = statuses_of(current_user)
    states = requirement_states(current_user, entries)
    names = Names.of(state.rule for state in states)
    found = []
    for entry, state in zip(entries, states, strict=True):
        lines = leaf_lines(rule_lines(state.rule, names, state))
        requirements = [requirement_json(leaf, line)
                        for leaf, line in zip(state.leaves(), lines, strict=True)]
        found.append({**entry.as_json(), "requirements": requirements})
    return jsonify(found)
