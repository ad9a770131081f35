"""Sign-in, sign-out, password change and language choice."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from training.auth import routes  # noqa: E402,F401  (registers the views)
