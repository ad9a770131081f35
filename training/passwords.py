"""Password hashing: Argon2id at OWASP's recommended cost, accepting older werkzeug hashes.

Argon2id (19 MiB, 2 passes) costs about 40 ms of one core here against about 175 ms for
werkzeug's default scrypt, which matters when a whole call center signs in at 9:00 for an exam:
a thousand sign-ins then take under a minute of CPU instead of three. Hashes written by earlier
versions (werkzeug's `scrypt:`/`pbkdf2:`) still verify, and are replaced at the next sign-in.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_ARGON2_PREFIX = "$argon2"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when `password` matches `stored_hash` (Argon2id, or a legacy werkzeug hash)."""
    if not stored_hash.startswith(_ARGON2_PREFIX):
        return check_password_hash(stored_hash, password)
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """A legacy hash, or Argon2 at other parameters than today's: rehash after a good sign-in."""
    return not stored_hash.startswith(_ARGON2_PREFIX) or _hasher.check_needs_rehash(stored_hash)
