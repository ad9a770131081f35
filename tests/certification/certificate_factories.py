"""Certificates written straight to the database, as an award would leave them."""

from __future__ import annotations

from datetime import date
from typing import Any

from training.certification.codes import new_code
from training.certification.models import Certificate, CertLevel
from training.database import db
from training.people.models import User


def level(code: str = "junior", name: str = "初级客服专员") -> CertLevel:
    found = db.session.query(CertLevel).filter_by(code=code).one_or_none()
    if found is None:
        found = CertLevel(code=code, name=name, validity_months=12)
        db.session.add(found)
        db.session.flush()
    return found


def certificate(holder: User, **fields: Any) -> Certificate:
    """A certificate of `holder` frozen with their name and 工号, issued 2026-01-10 for a year."""
    cert_level = fields.pop("level", None) or level()
    row = Certificate(
        code=fields.pop("code", None) or new_code(),
        user_id=holder.id,
        level_id=cert_level.id,
        issued_on=fields.pop("issued_on", date(2026, 1, 10)),
        expires_on=fields.pop("expires_on", date(2027, 1, 10)),
        holder_name=holder.display_name,
        employee_no=holder.employee_no,
        level_name=cert_level.name,
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row
