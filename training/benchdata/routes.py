"""The ceiling endpoint: an authenticated request that does one primary-key upsert, nothing else."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from training.access import authenticated
from training.benchdata.services import touch_ceiling
from training.extensions import limiter


@limiter.exempt  # as the autosave is: the yardstick takes the same path
@authenticated
def ceiling():
    counter = touch_ceiling(current_user.id)
    return jsonify(counter=counter)
