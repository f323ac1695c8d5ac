"""Two-factor authentication for everyone who decides, delegates, edits or administers, and re-authentication
before the most far-reaching acts.

Whoever reaches a decision, a delegation, the Wagtail admin or the audit export must have an activated
authenticator (TOTP or a passkey through allauth's MFA, with recovery codes), or have logged in through the
city's identity provider with its second factor (portal.sso). A person without one is sent to set one up
and then comes back: the pages that decide are not reachable before.

Creating or revoking a delegation, granting a responsibility, bulk approval and the audit export ask for the
password (or a code) again through allauth's re-authentication flow, at most every
ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (15 minutes).

The checks run after the view has answered "may this person see this at all" (a 404 for strangers comes
first), so `mfa_setup_redirect` and `require_reauthentication` are called inside the views rather than as
outer decorators. allauth's MFA pages do not return to a "next" page; the message says where to go on.
"""

from collections.abc import Callable

from allauth.account.decorators import reauthentication_required
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.security_log import security_event
from portal.sso import session_mfa_satisfied


def mfa_satisfied(request: HttpRequest) -> bool:
    """Whether the logged-in person has a second factor: an activated authenticator of their own, or a login
    through the identity provider that asserted one for this session."""
    user = request.user
    if not user.is_authenticated:
        return False
    return session_mfa_satisfied(request) or is_mfa_enabled(user)


def mfa_setup_redirect(request: HttpRequest) -> HttpResponse | None:
    """None when the person may go on; otherwise allauth's page that offers an authenticator app, a passkey and
    recovery codes, with a message that says why, and a security event."""
    if mfa_satisfied(request):
        return None
    security_event("access_refused", request=request, reason="mfa_required")
    messages.warning(request, _(
        "Decisions, delegations, the audit trail and the editors' area need two-factor authentication. "
        "Please set up an authenticator app or a passkey first; then you can continue."))
    return HttpResponseRedirect(reverse("mfa_index"))


@reauthentication_required
def _recently_reauthenticated(request: HttpRequest) -> None:
    """allauth's own decorator around nothing: raises ReauthenticationRequired unless the person re-entered
    their password or a code within ACCOUNT_REAUTHENTICATION_TIMEOUT."""


def require_reauthentication(request: HttpRequest) -> None:
    """Raise allauth's ReauthenticationRequired when the last re-authentication is too long ago.

    allauth's AccountMiddleware answers it: it keeps a posted form in the session, asks for the password
    (or a code), and then replays the form, so nothing typed is lost."""
    _recently_reauthenticated(request)


class AdminMfaMiddleware:
    """Every page of the Wagtail admin needs a second factor: editors, moderators and administrators change
    what the whole city reads and who holds which responsibility."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.admin_prefix: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if request.path.startswith(self.admin_prefix) and request.user.is_authenticated:
            refusal = mfa_setup_redirect(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)
