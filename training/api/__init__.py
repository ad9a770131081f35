"""The JSON API (`/api/v1`): what the exam page itself uses, and a contract for outside tools.

Browsers use the session cookie and send the CSRF token in `X-CSRFToken`; scripts send
`Authorization: Bearer <token>` (from `POST /api/v1/login`) and need neither cookie nor CSRF
token. The contract is described in `openapi.json`, served at `/api/v1/openapi.json`.
"""

from flask import Blueprint

from training.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # checked in `auth.py` for cookie sessions only, where CSRF can happen

from training.api import auth, reports, routes, scenarios  # noqa: E402,F401  (registers hooks and views)
