"""Limits that keep the Kummerkasten usable without identifying anyone.

Each counter lives in the shared cache (CACHE_URL) under an HMAC of the account and the day (or hour):
it holds a number and nothing else, expires by itself, and no message refers to it. Whoever reads the
cache learns neither who is counted nor which messages were counted.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from services.kummerkasten.receipts import keyed_hash

DAY_SECONDS = 24 * 60 * 60


def _key(purpose: str, user_id: int, period: str) -> str:
    return "kummerkasten:" + keyed_hash(purpose, f"{user_id}:{period}")


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def daily_post_allowed(*, user_id: int) -> bool:
    """Count one message or reply of the account today; False once KUMMERKASTEN_DAILY_LIMIT is passed."""
    key = _key("daily", user_id, timezone.localdate().isoformat())
    return _count(key, 2 * DAY_SECONDS) <= settings.KUMMERKASTEN_DAILY_LIMIT


def _hour() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H")


def code_attempts_exhausted(*, user_id: int) -> bool:
    """Whether the account typed too many wrong receipt codes this hour (checked before a code is tried)."""
    return (cache.get(_key("guess", user_id, _hour())) or 0) >= settings.KUMMERKASTEN_CODE_ATTEMPTS_PER_HOUR


def code_attempt_failed(*, user_id: int) -> None:
    _count(_key("guess", user_id, _hour()), int(datetime.timedelta(hours=2).total_seconds()))
