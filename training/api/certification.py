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

from training.access import public
from training.api import bp
from training.api.errors import api_error
from training.certification.verification import Verdict, lookup_limit, verify
from training.database import utcnow
from training.timezones import local_day


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
