"""Certificate verification codes: random, unguessable, and easy to read aloud over the phone.

A code is 20 characters of Crockford's base32 (digits and capitals without I, L, O, U): 100
random bits from `secrets`, so guessing a valid one is hopeless even without the rate limit.
It is stored bare and shown in groups of four (`format_code`); `normalise` reads back whatever
a person types — lower case, spaces, dashes, and the letters people mistake for digits
(O for 0, I and L for 1) — so a code read over the phone still verifies.

Pure Python: the services store the code under a unique constraint and draw again on the
(astronomically unlikely) collision.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: 5 bits a character
LENGTH = 20  # 100 bits
GROUP = 4
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\u3000\t")


def new_code() -> str:
    """A fresh code, bare (no dashes), as stored in `Certificate.code`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_code(code: str) -> str:
    """The code grouped for reading aloud: XXXX-XXXX-XXXX-XXXX-XXXX."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def normalise(text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one (wrong length or letter).

    Case, spaces and dashes do not matter, and O/I/L read as 0/1, because people copy codes
    from paper and read them over the phone; a U has no reading and is refused.
    """
    bare = text.strip().upper().translate(_SEPARATORS).translate(_CONFUSED)
    if len(bare) != LENGTH or any(char not in ALPHABET for char in bare):
        return None
    return bare
