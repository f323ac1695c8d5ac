"""Sealing pending answers: AES-GCM with a key derived from the portal's secret, never stored in the database.

While a round runs, the pending answer is the one place where an answer exists before it is shuffled into
the round's batch. Whoever can read the database (an operator, a backup) sees only sealed blobs, so even
what the database itself records about a row (its position, its transaction) cannot tie a person's
participation to their scores. AES-GCM rather than Fernet: a Fernet token carries the time it was made.
"""

import json
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.crypto import salted_hmac

NONCE_BYTES = 12
# Padded to whole blocks of this size, so that the length of a sealed answer tells little about its free text.
PADDING_BLOCK = 512


def _key() -> bytes:
    return salted_hmac("services.surveys.sealing", "pending-answers", secret=settings.SECRET_KEY, algorithm="sha256").digest()


def seal(payload: dict, *, round_id: int) -> bytes:
    """The payload as JSON, encrypted and bound to its round (a sealed answer cannot be moved to another round)."""
    nonce = os.urandom(NONCE_BYTES)
    data = json.dumps(payload, separators=(",", ":")).encode()
    data += b" " * (-len(data) % PADDING_BLOCK)
    return nonce + AESGCM(_key()).encrypt(nonce, data, str(round_id).encode())


def unseal(sealed: bytes, *, round_id: int) -> dict:
    sealed = bytes(sealed)
    plain = AESGCM(_key()).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], str(round_id).encode())
    return json.loads(plain)
