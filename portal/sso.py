"""Single sign-on with the city's OpenID Connect provider (Keycloak, Entra ID, ...) through allauth.

allauth's generic OpenID Connect provider does the authorisation-code flow with PKCE and checks the ID
token's issuer, audience and expiry; this module decides who may come in:

- A login at the provider is matched to an active member of staff from the HR import (one with a
  personnel number): by the claim named in the app setting ``match_claim`` (OIDC_MATCH_CLAIM, the
  personnel number) when configured, otherwise by the provider's *verified* e-mail address. The first
  login links the provider's account (a SocialAccount); later logins find it through that link and must
  still match the same person. Nobody else gets in and no account is ever created (event ``sso_refused``).
- The provider never changes the HR-imported e-mail address or name: the person's own record is used
  as it is.
- Each authorisation request carries a fresh ``nonce`` that must come back in the ID token.
- MFA: when the ID token's ``amr`` or ``acr`` says the provider asked for a second factor, the portal
  does not ask again and keeps ``request.session[MFA_FROM_PROVIDER] = True`` for this login (see
  :func:`session_mfa_satisfied`); otherwise a person with an authenticator of the portal's own is asked
  for it by allauth's MFA step as after a password.
- A provider that cannot be reached, or any refusal, brings the person back to the login page with a
  clear message; the password form stays there unless OIDC_LOCAL_LOGIN is off.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from allauth.socialaccount.providers.base.constants import AuthError, AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.models import User
from portal.security_log import security_event

MFA_FROM_PROVIDER = "mfa_from_provider"
"""Session key: True while the login of this session was confirmed with a second factor at the provider."""


# --- Claims ----------------------------------------------------------------------------------------

def id_token_claims(sociallogin: SocialLogin | None) -> dict[str, Any]:
    """The claims of the ID token behind `sociallogin` (allauth keeps them in the account's extra data)."""
    if sociallogin is None:
        return {}
    extra = sociallogin.account.extra_data if isinstance(sociallogin.account.extra_data, dict) else {}
    claims = extra.get("id_token")
    return claims if isinstance(claims, dict) else {}


def provider_claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """ID token claims, completed by the userinfo answer where the token lacks one (same subject only)."""
    claims = dict(id_token_claims(sociallogin))
    extra = sociallogin.account.extra_data if isinstance(sociallogin.account.extra_data, dict) else {}
    userinfo = extra.get("userinfo")
    if isinstance(userinfo, dict) and (not claims or userinfo.get("sub") == claims.get("sub")):
        for key, value in userinfo.items():
            claims.setdefault(key, value)
    return claims


def provider_asserted_mfa(claims: Mapping[str, Any], *, amr_values: Iterable[str], acr_values: Iterable[str]) -> bool:
    """Whether ID token `claims` say the person used a second factor at the provider.

    ``amr`` (RFC 8176) is a list of methods; one of `amr_values` ("mfa", "otp", "hwk", ...) is enough.
    ``acr`` is one string; it counts when it is one of `acr_values` (what the city's provider calls its
    two-factor level, e.g. Keycloak's "2" or a URN).
    """
    amr = claims.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    if isinstance(amr, list) and set(amr_values) & {value for value in amr if isinstance(value, str)}:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in set(acr_values)


def _app_setting(sociallogin_or_provider: Any, name: str, default: Any) -> Any:
    provider = getattr(sociallogin_or_provider, "provider", sociallogin_or_provider)
    app = getattr(provider, "app", None)
    return (app.settings if app is not None else {}).get(name, default)


def login_asserted_mfa(sociallogin: SocialLogin | None) -> bool:
    """Whether the provider asserted a second factor for this login, by the app's ``mfa_amr``/``mfa_acr``."""
    if sociallogin is None:
        return False
    return provider_asserted_mfa(
        id_token_claims(sociallogin),
        amr_values=_app_setting(sociallogin, "mfa_amr", settings.OIDC_DEFAULT_MFA_AMR),
        acr_values=_app_setting(sociallogin, "mfa_acr", []),
    )


def session_mfa_satisfied(request: HttpRequest) -> bool:
    """True when the person logged in through the provider in this session and the provider asserted MFA.

    Reads ``request.session["mfa_from_provider"]``, which is set to True on a provider login whose ID
    token's ``amr``/``acr`` named a second factor and removed on every other login (and with the session
    at logout). It says nothing about the portal's own second factor (allauth's MFA step), which callers
    check themselves.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return request.session.get(MFA_FROM_PROVIDER) is True


# --- Matching and linking --------------------------------------------------------------------------

class Refusal(Exception):
    """A provider login that does not lead to a member of staff: `reason` for the log, `message` for the person."""

    def __init__(self, reason: str, message: str, **fields: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.fields = fields


def _no_match_message() -> str:
    return _("Your city account is not known in the portal. Accounts come from the HR department's staff"
             " records: please ask them, or the IT service desk, to check yours.")


def staff_user_for_claims(claims: Mapping[str, Any], *, match_claim: str) -> User:
    """The active, HR-imported member of staff the provider's `claims` name; raises Refusal otherwise.

    With `match_claim` the claim's value must equal a personnel number; without it the claims' e-mail
    address must be marked verified by the provider and equal a person's e-mail (case-insensitive).
    """
    staff = User.objects.filter(is_active=True, personnel_number__isnull=False).exclude(personnel_number="")
    if match_claim:
        value = claims.get(match_claim)
        if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
            raise Refusal("claim_missing", _no_match_message(), claim=match_claim)
        user = staff.filter(personnel_number=str(value).strip()).first()
        if user is None:
            raise Refusal("no_match", _no_match_message(), claim=match_claim)
        return user
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        raise Refusal("claim_missing", _no_match_message(), claim="email")
    if claims.get("email_verified") is not True:
        raise Refusal("email_not_verified", _no_match_message(), account=email)
    user = staff.filter(email__iexact=email.strip()).first()
    if user is None:
        raise Refusal("no_match", _no_match_message(), account=email)
    return user


def social_account_link(*, request: HttpRequest, sociallogin: SocialLogin, user: User) -> SocialAccount:
    """Link the provider's account in `sociallogin` to `user` (their first provider login), recorded.

    The person's own record is saved as it is: nothing the provider sent (e-mail, name) reaches it.
    """
    with transaction.atomic():
        if SocialAccount.objects.filter(user=user, provider=sociallogin.account.provider).exists():
            raise Refusal("linked_elsewhere", _no_match_message())
        sociallogin.user = user
        sociallogin.email_addresses = []
        sociallogin.connect(request, user)
    security_event("sso_linked", request=request, user=user, provider=sociallogin.account.provider)
    return sociallogin.account


def _login_page(next_url: str | None = None) -> str:
    url = reverse("account_login")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _refuse(request: HttpRequest, provider_id: str, refusal: Refusal) -> HttpResponse:
    security_event("sso_refused", request=request, user=None, provider=provider_id, reason=refusal.reason, **refusal.fields)
    messages.error(request, refusal.message)
    return HttpResponseRedirect(_login_page())


def _unavailable_message() -> str:
    if local_login_offered():
        return _("The city's login service cannot be reached at the moment. Please try again later, or log in"
                 " with your e-mail address and password.")
    return _("The city's login service cannot be reached at the moment. Please try again later.")


def _failed_message() -> str:
    if local_login_offered():
        return _("The login with your city account could not be completed. Please start it again, or log in"
                 " with your e-mail address and password.")
    return _("The login with your city account could not be completed. Please start it again.")


# --- allauth integration ---------------------------------------------------------------------------

class CityOpenIDConnectProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider with a nonce in every authorisation request and a clear answer when
    the provider's discovery document cannot be read (allauth would fail with a server error)."""

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs) -> HttpResponse:
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        try:
            return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)
        except (requests.RequestException, KeyError, ValueError) as error:
            security_event("sso_unavailable", request=request, user=None, provider=self.app.provider_id,
                           stage="discovery", detail=type(error).__name__)
            messages.error(request, _unavailable_message())
            return HttpResponseRedirect(_login_page(next_url))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Provider logins only for known staff: matched, linked, never signed up; every outcome logged."""

    def get_provider(self, request: HttpRequest, provider, client_id=None):
        return _city_provider(super().get_provider(request, provider, client_id=client_id))

    def list_providers(self, request: HttpRequest) -> list:
        return [_city_provider(provider) for provider in super().list_providers(request)]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Refuse the login unless its nonce is right and it leads to an active member of staff; link on first login."""
        provider_id = sociallogin.account.provider
        try:
            if sociallogin.state.get("process") != AuthProcess.LOGIN:
                # Links are made by matching at login only, never by connecting from the connections page.
                raise Refusal("process_not_allowed", _failed_message(), process=str(sociallogin.state.get("process")))
            self._check_nonce(sociallogin)
            claims = provider_claims(sociallogin)
            user = staff_user_for_claims(claims, match_claim=_app_setting(sociallogin, "match_claim", ""))
            if sociallogin.is_existing:
                if sociallogin.user.pk != user.pk:
                    raise Refusal("claim_mismatch", _no_match_message())
                # The person's current record, not the copy allauth loaded with the link.
                sociallogin.user = user
            else:
                social_account_link(request=request, sociallogin=sociallogin, user=user)
        except Refusal as refusal:
            raise ImmediateHttpResponse(_refuse(request, provider_id, refusal)) from None

    @staticmethod
    def _check_nonce(sociallogin: SocialLogin) -> None:
        expected = sociallogin.state.get("nonce")
        received = id_token_claims(sociallogin).get("nonce")
        if not expected or not isinstance(received, str) or not secrets.compare_digest(expected, received):
            raise Refusal("nonce_mismatch", _failed_message())

    def on_authentication_error(self, request: HttpRequest, provider, error=None, exception=None, extra_context=None) -> None:
        """Every failed callback (wrong or replayed state, refused code, bad ID token, provider down): logged,
        then back to the login page with a message instead of allauth's error page."""
        extra_context = extra_context or {}
        cause = exception.__cause__ if exception is not None and exception.__cause__ is not None else exception
        if error == AuthError.CANCELLED:
            reason = "cancelled"
        elif isinstance(exception, requests.RequestException):
            reason = "provider_unavailable"
        elif isinstance(exception, OAuth2Error) and "id_token" in str(exception):
            reason = "id_token_invalid"
        elif isinstance(exception, OAuth2Error):
            reason = "code_refused"
        elif exception is None and "state" not in extra_context:
            reason = "state_invalid"
        else:
            reason = "provider_error"
        fields = {"detail": type(cause).__name__} if cause is not None else {}
        security_event("sso_refused", request=request, user=None, provider=getattr(provider, "sub_id", None),
                       reason=reason, **fields)
        if reason == "provider_unavailable":
            messages.error(request, _unavailable_message())
        elif reason == "cancelled":
            messages.info(request, _("The login with your city account was cancelled."))
        else:
            messages.error(request, _failed_message())
        raise ImmediateHttpResponse(HttpResponseRedirect(_login_page()))


def _city_provider(provider):
    if type(provider) is OpenIDConnectProvider:
        return CityOpenIDConnectProvider(provider.request, app=provider.app)
    return provider


class ProviderMFAAuthenticateStage(AuthenticateStage):
    """allauth's second-factor step, skipped when the provider already asserted MFA for this very login."""

    def _should_handle(self, request: HttpRequest) -> bool:
        if login_asserted_mfa((self.login.signal_kwargs or {}).get("sociallogin")):
            return False
        return super()._should_handle(request)


def city_provider(request: HttpRequest):
    """The city's provider when it is configured, else None (for the login page)."""
    for provider in SocialAccountAdapter(request).list_providers(request):
        if isinstance(provider, OpenIDConnectProvider) and provider.app.provider_id == settings.OIDC_PROVIDER_ID:
            return provider
    return None


def local_login_offered() -> bool:
    """Whether e-mail and password login is offered: always without a provider, else as OIDC_LOCAL_LOGIN says."""
    return bool(settings.OIDC_LOCAL_LOGIN) or not any(
        app.get("provider_id") == settings.OIDC_PROVIDER_ID
        for app in settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []))


# --- Receivers (connected by portal.apps) ---------------------------------------------------------

def _any_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Django's login signal, for every login: a flag from an earlier provider login does not carry over."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_FROM_PROVIDER, None)


def _allauth_login(sender, request: HttpRequest, user, sociallogin: SocialLogin | None = None, **kwargs) -> None:
    """allauth's login signal, sent after Django's once every login step is done: a provider login is noted."""
    if sociallogin is None:
        return
    asserted = login_asserted_mfa(sociallogin)
    if asserted:
        request.session[MFA_FROM_PROVIDER] = True
    security_event("sso_login", request=request, user=user, provider=sociallogin.account.provider,
                   mfa="provider" if asserted else ("portal" if _did_portal_mfa(request, user) else "none"))


def _did_portal_mfa(request: HttpRequest, user) -> bool:
    from allauth.account.internal.flows.login import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def connect_receivers() -> None:
    from allauth.account import signals as account_signals

    user_logged_in.connect(_any_login, dispatch_uid="portal.sso")
    account_signals.user_logged_in.connect(_allauth_login, dispatch_uid="portal.sso")
