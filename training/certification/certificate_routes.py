"""Certificates: the holder's (or HR's) PDF download, and the public verify page.

The verify page is its own blueprint (`verify`, at /verify) because it lives outside
/certification and is open to everyone; see `training.certification.verification` for what it
may show.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from training.access import authenticated, public
from training.certification import bp, verify_bp
from training.certification.certificates import downloadable, stored_pdf
from training.certification.labels import STATUS_LABELS
from training.certification.lifecycle import Status
from training.certification.verification import Validity, lookup_limit, valid_through, verify
from training.database import utcnow
from training.timezones import local_day

VALIDITY_LABELS = {
    Validity.VALID: _l("有效"),
    Validity.EXPIRED: STATUS_LABELS[Status.EXPIRED],
    Validity.REVOKED: STATUS_LABELS[Status.REVOKED],
}
VALIDITY_ICONS = {
    Validity.VALID: "patch-check-fill",
    Validity.EXPIRED: "hourglass-bottom",
    Validity.REVOKED: "x-octagon-fill",
}


@bp.route("/certificates/<int:certificate_id>.pdf")
@authenticated
def certificate_pdf(certificate_id: int):
    certificate = downloadable(current_user, certificate_id)
    response = current_app.response_class(stored_pdf(certificate), mimetype="application/pdf")
    filename = quote(f"{certificate.level_name}-{certificate.holder_name}.pdf")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@verify_bp.route("/<code>")
@public
@lookup_limit
def page(code: str):
    verdict = verify(code, local_day(utcnow()))
    if verdict is None:
        return render_template("certification/verify.html", verdict=None), 404
    return render_template(
        "certification/verify.html", verdict=verdict, valid_through=valid_through(verdict.expires_on),
        label=VALIDITY_LABELS[verdict.validity], icon=VALIDITY_ICONS[verdict.validity],
    )
