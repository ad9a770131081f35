"""The ceiling endpoints: authenticated requests doing only the writes they stand for."""

from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import current_user

from training.access import authenticated
from training.benchdata.services import record_step_ceiling, touch_ceiling
from training.extensions import limiter


@limiter.exempt  # as the autosave is: the yardstick takes the same path
@authenticated
def ceiling():
    counter = touch_ceiling(current_user.id)
    return jsonify(counter=counter)


@limiter.exempt  # checking that no limit applies is no part of a reply's unavoidable work
@authenticated
def reply_ceiling(run_id: int):
    """`{"step": n}` → `{"run_id", "step"}`: the step the run awaits after this request."""
    body = request.get_json(silent=True)
    step = body.get("step") if isinstance(body, dict) else None
    if type(step) is not int or step < 1:
        abort(400)
    return jsonify(run_id=run_id, step=record_step_ceiling(current_user.id, run_id, step))
