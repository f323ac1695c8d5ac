"""How long a login lasts: it ends after a time without activity and, in any case, some hours after it began.

Django's session cookie alone knows one lifetime. The city's rule has two (settings
SESSION_IDLE_SECONDS, 30 minutes, and SESSION_ABSOLUTE_SECONDS, 12 hours), so this middleware keeps
when the login began and when the person was last seen in the session, and logs out when either is
exceeded. "Last seen" is written at most once a minute, so an ordinary page view writes nothing.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LOGIN_AT = "portal_login_at"
SEEN_AT = "portal_seen_at"
SEEN_GRANULARITY = 60


def session_expired(session, *, now: float) -> bool:
    """Whether the login kept in `session` has outlived its idle time or its absolute lifetime."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return False
    return now - seen_at > settings.SESSION_IDLE_SECONDS or now - login_at > settings.SESSION_ABSOLUTE_SECONDS


class SessionLifetimeMiddleware:
    """Ends a login after SESSION_IDLE_SECONDS without a request, and SESSION_ABSOLUTE_SECONDS after it began."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            if session_expired(session, now=now):
                logout(request)
                messages.info(request, _("For your security you have been logged out after a time without activity"
                                         " or at the end of the working day. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if now - session.get(SEEN_AT, 0) >= SEEN_GRANULARITY:
                session[SEEN_AT] = now
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and LOGIN_AT not in request.session:
            # The request that logged in (or the first one of a session from before this rule): the clock starts.
            request.session[LOGIN_AT] = request.session[SEEN_AT] = time.time()
        return response
