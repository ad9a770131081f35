"""The employee's side of role-play: my scenarios, the chat page and the debrief.

The chat page itself talks to the JSON API (`training/api/scenarios.py`); these views only
start or resume a run and render what the employee may see at that moment.
"""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from training.access import authenticated
from training.database import utcnow
from training.errors import NotFound
from training.navigation import LEARN, register_nav
from training.roleplay import bp, labels
from training.roleplay.debrief import debrief as debrief_of
from training.roleplay.debrief import finished_runs, step_started_at
from training.roleplay.runs import run_for, start_or_resume
from training.roleplay.serialise import run_state
from training.roleplay.services import open_scenarios, scenario_open_to
from training.unit_of_work import unit_of_work

register_nav("roleplay.my_scenarios", _l("情景演练"), "chat-quote", "employee", order=37, group=LEARN)


@bp.context_processor
def roleplay_labels() -> dict[str, object]:
    return {name.lower(): getattr(labels, name) for name in dir(labels) if name.isupper()}


@bp.route("/")
@authenticated
def my_scenarios():
    items = open_scenarios(current_user)
    runs = finished_runs(current_user, [item.scenario.id for item in items])
    return render_template("roleplay/index.html", items=items, runs=runs)


@bp.route("/<int:scenario_id>/start", methods=["POST"])
@authenticated
def start(scenario_id: int):
    with unit_of_work(passes=(NotFound,)) as work:  # a scenario not open to me is the 404 page
        run = start_or_resume(current_user, scenario_open_to(current_user, scenario_id))
    if not work.done:
        return redirect(url_for("roleplay.my_scenarios"))
    return redirect(url_for("roleplay.play", run_id=run.id))


@bp.route("/runs/<int:run_id>")
@authenticated
def play(run_id: int):
    run = run_for(current_user, run_id)
    if run.finished:
        return redirect(url_for("roleplay.debrief", run_id=run.id))
    return render_template(
        "roleplay/play.html", run=run, scenario=run.version.script, state=run_state(run),
        step_elapsed=round((utcnow() - step_started_at(run)).total_seconds()),
    )


@bp.route("/runs/<int:run_id>/debrief")
@authenticated
def debrief(run_id: int):
    run = run_for(current_user, run_id)
    if not run.finished:
        return redirect(url_for("roleplay.play", run_id=run.id))
    return render_template("roleplay/debrief.html", debrief=debrief_of(run))
