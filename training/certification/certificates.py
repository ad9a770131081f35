"""The certificate as a PDF: A4 landscape, set in Noto CJK, with the code and a QR to /verify.

It is drawn from the certificate's frozen columns only (holder's name, 工号, level name, dates,
code), never from the live user or level, so a later rename does not change a certificate
already issued. The first download renders it and stores the bytes in `Certificate.pdf`; every
later download returns those very bytes, so the holder, HR and anyone they send it to hold the
same document.

The QR holds the absolute verify address: `PUBLIC_BASE_URL` when configured (the address people
reach the app at, which a server behind a proxy cannot always tell), else the request's own.
"""

from __future__ import annotations

from pathlib import Path

import segno
from flask import current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from weasyprint import CSS, HTML

from training.certification.codes import format_code
from training.certification.models import Certificate
from training.certification.verification import valid_through
from training.database import db
from training.demo.people import COMPANY
from training.errors import NotFound
from training.people.models import User

STYLESHEET = Path("css") / "certificate-pdf.css"
ANY_HOLDER = frozenset({"hr", "admin"})  # roles that may download anyone's certificate


def verify_url(code: str) -> str:
    """The absolute address the QR and the certificate print: /verify/<grouped code>."""
    path = url_for("verify.page", code=format_code(code))
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + path


def qr_svg(url: str) -> str:
    """The QR of `url` as an SVG data URI (vector, so it scans sharply at any print size)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#0f172a")


def render_certificate(certificate: Certificate) -> bytes:
    """The PDF of `certificate`, rendered from its frozen columns."""
    url = verify_url(certificate.code)
    with force_locale("zh_CN"):  # a Chinese document, whoever downloads it first and stores it
        html = render_template(
            "certification/certificate_pdf.html",
            certificate=certificate,
            company=current_app.config.get("COMPANY_NAME") or COMPANY,
            grouped_code=format_code(certificate.code),
            valid_through=valid_through(certificate.expires_on),
            verify_url=url,
            qr=qr_svg(url),
        )
    stylesheet = CSS(filename=Path(current_app.static_folder or "") / STYLESHEET)
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


def stored_pdf(certificate: Certificate) -> bytes:
    """The stored PDF, rendered and stored first if this is its first download.

    Two first downloads at once both render, but only the first store holds (`pdf IS NULL`);
    both answer with the stored bytes, so no two downloads ever differ.
    """
    if certificate.pdf is not None:
        return certificate.pdf
    rendered = render_certificate(certificate)
    db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.pdf.is_(None))
        .values(pdf=rendered)
        .execution_options(synchronize_session=False)
    )
    stored = db.session.scalar(select(Certificate.pdf).where(Certificate.id == certificate.id))
    db.session.expire(certificate, ["pdf"])
    return stored or rendered


def downloadable(user: User, certificate_id: int) -> Certificate:
    """The certificate if `user` may download it (their own; anyone's for HR and admins), else
    NotFound, as if it did not exist: an employee learns nothing of colleagues' certificates."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or (
        certificate.user_id != user.id and not user.role_names & ANY_HOLDER
    ):
        raise NotFound(_("证书不存在。"))
    return certificate
