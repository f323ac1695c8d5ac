"""Receipt codes: random, shown once to the writer, kept only as a keyed hash.

A code is 20 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V), about 98 bits of
chance. Against that, a plain SHA-256 would already be enough to resist guessing offline (even 16
characters are 2^78 tries); the hash is an HMAC with a key kept outside the database all the same, so a
copy of the database alone cannot test a single code, and a salted slow hash (PBKDF2, Argon2) would buy
nothing for a secret this random while making the lookup by code impossible without trying every row.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 20
GROUP = 4


def hash_key() -> bytes:
    return (settings.KUMMERKASTEN_HASH_KEY or settings.SECRET_KEY).encode()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` for one `purpose` (receipt codes, flood counters), hex."""
    return hmac.new(hash_key(), f"kummerkasten.{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def receipt_code_generate() -> str:
    """A new code, grouped for reading: ``ABCD-EFGH-JKMN-PQRS-TWXY``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[index:index + GROUP] for index in range(0, LENGTH, GROUP))


def receipt_code_normalise(typed: str) -> str | None:
    """The code as typed (any case, spaces or dashes) in its canonical form, or None when it cannot be one."""
    raw = "".join(character for character in typed.upper() if character not in " -\t")
    if len(raw) != LENGTH or any(character not in ALPHABET for character in raw):
        return None
    return raw


def receipt_hash(code: str) -> str | None:
    raw = receipt_code_normalise(code)
    return keyed_hash("receipt", raw) if raw is not None else None
