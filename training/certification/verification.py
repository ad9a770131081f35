"""What anyone holding a certificate's code may learn about it, and nothing more.

/verify/<code> and `GET /api/v1/verify/<code>` are public: a customer or a future employer reads
the code off the paper or scans the QR. They show only the verdict (valid, expired, revoked on
the company's calendar day), the level, the holder's name partly masked, and the dates — never
the full name, the 工号 or anything about other certificates. A wrong, unknown or malformed code
gets one and the same "not found", so answers cannot be told apart to learn which codes exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import select

from training.certification.codes import normalise
from training.certification.models import Certificate
from training.database import db
from training.extensions import limiter

MASK = "*"
MAX_MASKED = 3  # a long Latin name shows no more stars than this: its length is nobody's business


# One budget per client address for the page and the API together: enough for people checking
# a few certificates, far too few to search a 100-bit code space (and a search finds nothing).
lookup_limit = limiter.shared_limit(
    lambda: current_app.config["VERIFY_LOOKUPS_PER_ADDRESS"], scope="verify"
)


class Validity(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Verdict:
    """The public facts of one certificate on one day."""

    validity: Validity
    level_name: str
    holder: str  # masked
    issued_on: date
    expires_on: date | None  # the first day it is no longer valid; None: 长期有效


def valid_through(expires_on: date | None) -> date | None:
    """The last day a certificate is valid, as people read 有效期至 (`expires_on` is the first
    day it is not); None: 长期有效."""
    return expires_on - timedelta(days=1) if expires_on else None


def validity_on(certificate: Certificate, today: date) -> Validity:
    """Revoked wins over expired; a certificate expires on its `expires_on` day itself."""
    if certificate.revoked_on is not None:
        return Validity.REVOKED
    if certificate.expires_on is not None and certificate.expires_on <= today:
        return Validity.EXPIRED
    return Validity.VALID


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张三 → 张*, 张 → 张; John Smith → J***h (first and last letters kept)."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * min(len(name) - 2, MAX_MASKED) + name[-1]


def verify(text: str, today: date) -> Verdict | None:
    """The verdict for a code as typed or scanned (any case, with or without dashes); None when
    it names no certificate, whatever the reason."""
    code = normalise(text)
    if not code:
        return None
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None:
        return None
    return Verdict(
        validity=validity_on(certificate, today),
        level_name=certificate.level_name,
        holder=mask_name(certificate.holder_name),
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
    )
