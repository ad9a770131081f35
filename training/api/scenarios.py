"""Role-play API views: the scenarios open to me, starting a run, replying, reading a run.

The chat page uses these itself (cookie session + `X-CSRFToken`, as the exam page does). Every
answer is an allow-list from `training.roleplay.serialise`: nothing that scores a run leaves
the server before the run has ended. Someone else's run is a 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from training.access import authenticated
from training.api import bp
from training.api.errors import api_error
from training.api.routes import json_body, whole_number
from training.exams.serialise import iso
from training.roleplay.errors import InvalidReply, RunRefused
from training.roleplay.runs import reply, run_for, start_or_resume
from training.roleplay.serialise import brief_json, run_state
from training.roleplay.services import OpenScenario, open_scenarios, scenario_open_to

MAX_STEP = 2**31 - 1


@bp.errorhandler(RunRefused)
def run_refused(error: RunRefused):
    return api_error(error.status, error.code, error.message)


def scenario_json(found: OpenScenario) -> dict[str, Any]:
    script = found.scenario.latest.script
    return {
        "id": found.scenario.id,
        "title": found.scenario.title,
        "channel": found.scenario.channel,
        "brief": brief_json(script),
        "due_at": iso(found.due_at),
        "overdue": found.overdue,
        "runs_used": found.runs_used,
        "runs_left": found.runs_left,
        "best_score": found.best_score,
        "passed": found.passed,
        "run_id": found.open_run_id,
    }


@bp.route("/scenarios")
@authenticated
def scenarios():
    return jsonify(scenarios=[scenario_json(found) for found in open_scenarios(current_user)])


@bp.route("/scenarios/<int:scenario_id>/runs", methods=["POST"])
@authenticated
def start_run(scenario_id: int):
    json_body()  # no fields, but a body that is not a JSON object is refused like elsewhere
    run = start_or_resume(current_user, scenario_open_to(current_user, scenario_id))
    return jsonify(run_state(run))


@bp.route("/runs/<int:run_id>")
@authenticated
def get_run(run_id: int):
    return jsonify(run_state(run_for(current_user, run_id)))


@bp.route("/runs/<int:run_id>/replies", methods=["POST"])
@authenticated
def reply_to_run(run_id: int):
    body = json_body()
    step = whole_number(body.get("step"))
    option_id, text = body.get("option_id"), body.get("text")
    if type(step) is not int or not 1 <= step <= MAX_STEP:
        raise InvalidReply(_("请求体需要 step（正整数）。"))
    if not isinstance(option_id, str | None) or not isinstance(text, str | None):
        raise InvalidReply(_("option_id 和 text 必须是字符串。"))
    found = reply(run_for(current_user, run_id), step, option_id=option_id, text=text)
    return jsonify(run_state(found))
