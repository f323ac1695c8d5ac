"""Counting guesses at /verify/ in the shared cache (CACHE_URL), so that every app server counts the same.

A fixed window per key: the first attempt starts it, the count expires with it. allauth's rate limits
are not used here: verification needs no account.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    return f"verify:{scope}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def count(scope: str, value: str) -> int:
    """How many attempts of this scope ("client", "reference") this window has seen."""
    return cache.get(_key(scope, value), 0)


def record(scope: str, value: str) -> int:
    """Count one more attempt; returns the count in this window."""
    key = _key(scope, value)
    cache.add(key, 0, timeout=settings.VERIFY_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.VERIFY_WINDOW_SECONDS)
        return 1


def client_exhausted(client: str) -> bool:
    return count("client", client) >= settings.VERIFY_CLIENT_LIMIT


def reference_exhausted(reference: str) -> bool:
    return count("reference", reference) >= settings.VERIFY_REFERENCE_LIMIT
