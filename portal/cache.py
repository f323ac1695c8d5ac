"""What a request gets when the shared cache cannot be reached.

allauth counts failed logins and other rate-limited actions in the default cache (a Redis that every app
server shares, CACHE_URL), and Wagtail keeps its site lookup there. When that Redis does not answer, the
request is refused with 503 "try again in a few minutes" rather than served without its limits: a login
is never let through uncounted. The failure is logged as one clear error line naming CACHE_URL (no
traceback: the cause is outside the code), and /healthz reports the cache as failed meanwhile.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")

RETRY_AFTER_SECONDS = 60


class CacheUnavailableMiddleware:
    """Answers 503 when a view fails because the Redis cache (rate limits) cannot be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RedisError):
            return None
        logger.error("The cache (CACHE_URL) cannot be reached: %s %s refused with 503 (%s: %s)",
                     request.method, request.path, type(exception).__name__, exception)
        # Rendered without the request: the context processors and the portal's layout may need the cache too.
        response = HttpResponse(render_to_string("cache_unavailable.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
