"""Schemathesis drives every operation of `openapi.json` against the app and checks each answer.

Every default check runs (no server error, documented status codes, content types, headers and
bodies, negative data refused, valid data accepted, auth not ignored...), as an employee with an
open exam and as a trainer, on SQLite. Generation is bounded and derandomized so the run is the
same each time and stays within a minute or so. Each valid case with ids is sent twice: as
generated (its random ids find nothing) and with the ids of a real exam, attempt and question,
so the successful answers are checked too (a role-play scenario and run included).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import current_app
from hypothesis import HealthCheck, settings

from tests.conftest import _forget_request_state
from tests.roleplay.factories import assign, saved_scenario
from training.api.routes import OPENAPI
from training.api.tokens import issue_token
from training.database import db
from training.exams.attempts import start_or_resume
from training.exams.shown import shown_questions
from training.roleplay import runs

EXAMPLES_PER_OPERATION = 25


def running_app(environ: dict[str, Any], start_response: Any) -> Any:
    """WSGI entry to the app of the test now running, with a clean `g` as in a real request."""
    _forget_request_state()  # the fixture's app context (and its `g`) outlives each request
    try:
        return current_app(environ, start_response)
    finally:
        _forget_request_state()


# Loaded from the file, not through an app: the pytest plugin's fixture-based loader does not
# run on pytest 9, and each test has an app of its own, reached through `running_app`.
schema = schemathesis.openapi.from_dict(
    json.loads(OPENAPI.read_text("utf-8")),
    config=schemathesis.Config.from_dict({
        "base-url": "http://localhost",
        "operations": [{
            # An answer's shape depends on the question's type, which a schema cannot express:
            # a well-formed `false` for a single-choice question is a documented 422.
            "include-operation-id": "saveAnswer",
            "checks": {"positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"],
            }},
        }, {
            # A reply must fit the node the run awaits (its step, its options), which a schema
            # cannot express either: a well-formed reply to another step is a documented 409/422.
            "include-operation-id": "replyToRun",
            "checks": {"positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"],
            }},
        }, {
            # A period whose `from` is after its `to` is a documented 400, however well-formed.
            "include-operation-id": "examReport",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401",
                                                                          "403", "404"]}},
        }, {
            "include-operation-id": "examItemAnalysis",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401",
                                                                          "403", "404"]}},
        }],
    }),
)
schema.app = running_app


class Caller:
    """Who calls, and the real ids the valid cases are pointed at."""

    running: Caller | None = None

    def __init__(self, user: Any, ids: dict[str, int]) -> None:
        self.user = user
        self.ids = ids
        self.token = self.fresh_token()

    def fresh_token(self) -> str:
        raw, _token = issue_token(self.user)
        db.session.commit()
        return raw


@schema.auth(refresh_interval=None)
class RunningCallersToken:
    """The bearer token of the test's caller; a logout gets a token of its own to revoke."""

    def get(self, case: schemathesis.Case, _context: schemathesis.AuthContext) -> str | None:
        caller = Caller.running
        if caller is None:  # examples built while pytest collects: the test itself adds none
            return None
        return caller.fresh_token() if case.operation.label.endswith("/logout") else caller.token

    def set(self, case: schemathesis.Case, token: str, _context: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the conformance run uses SQLite only (its cost is in the app, not the engine)")


@pytest.fixture(params=["employee", "trainer"])
def caller(request, sqlite_only, make_user, make_exam) -> Iterator[Caller]:
    exam = make_exam(attempts_allowed=3)
    user = make_user(roles=(request.param,))
    examinee = user if request.param == "employee" else make_user()  # a trainer's is not theirs
    attempt = start_or_resume(examinee, exam.id)
    db.session.commit()
    question_id = shown_questions(attempt.id)[0].question_id
    scenario = saved_scenario()
    assign(scenario, examinee)
    run = runs.start_or_resume(examinee, scenario)
    db.session.commit()
    Caller.running = Caller(user, {
        "exam_id": exam.id, "attempt_id": attempt.id, "question_id": question_id,
        "scenario_id": scenario.id, "run_id": run.id,
    })
    yield Caller.running
    Caller.running = None


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_the_document(case: schemathesis.Case, caller: Caller):
    case.call_and_validate()
    if case.path_parameters and case.meta and case.meta.generation.mode.is_positive:
        case.path_parameters = {
            name: caller.ids.get(name, value) for name, value in case.path_parameters.items()
        }
        case.call_and_validate()
