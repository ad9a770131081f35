"""Password hashing: Argon2id at OWASP's recommended cost, accepting older werkzeug hashes.

Argon2id (19 MiB, 2 passes) costs about 40 ms of one core here against about 175 ms for
werkzeug's default scrypt, which matters when a whole call center signs in at 9:00 for an exam:
a thousand sign-ins then take under a minute of CPU instead of three. Hashes written by earlier
versions (werkzeug's `scrypt:`/`pbkdf2:`) still verify, and are replaced at the next sign-in.

A length rule alone lets `12345678`, `password` and the login name twice through, so new
passwords are also scored by zxcvbn (Dropbox's estimator: common passwords, keyboard runs,
repeats, dates, l33t, and the user's own names and numbers passed as `user_inputs`).
"""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash
from zxcvbn import zxcvbn

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_ARGON2_PREFIX = "$argon2"
# zxcvbn's 0–4 scale; 3 is "safely unguessable" (about 10^8 guesses), enough behind a lock-out
# and a slow hash. zxcvbn refuses inputs over 72 characters: the first 72 decide.
MIN_STRENGTH = 3
_ZXCVBN_MAX_LENGTH = 72


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


def is_guessable(password: str, user_inputs: Iterable[str | None] = ()) -> bool:
    """True when zxcvbn scores the password below MIN_STRENGTH, given the user's own words."""
    words = [word for word in user_inputs if word]
    return zxcvbn(password[:_ZXCVBN_MAX_LENGTH], user_inputs=words)["score"] < MIN_STRENGTH
