from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from portal.security_log import client_address, security_event
from portal.sso import local_login_offered


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the HR import or the administrators: there is no open registration."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def can_delete_email(self, email_address) -> bool:
        """Addresses come from the HR import (see portal.views.account_email); none is removed in the portal."""
        return False

    def get_client_ip(self, request) -> str:
        """The client address by the portal's one rule (TRUSTED_PROXY_COUNT), as the security log writes it.

        allauth counts its per-address rate limits and records the "Sessions" page's addresses under it.
        """
        address = client_address(request.META)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request, **credentials) -> None:
        """Password logins are refused when the city's provider is the only way in (OIDC_LOCAL_LOGIN off);
        allauth counts failed logins, with a security event when it refuses an attempt."""
        if not local_login_offered():
            raise ValidationError(_("Please log in with your city account."))
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                account = credentials.get("email") or credentials.get("username") or credentials.get("login")
                security_event("login_rate_limited", request=request, account=account, outcome="refused")
            raise

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with its second-factor step replaced by one that accepts the city provider's MFA."""
        return ["portal.sso.ProviderMFAAuthenticateStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
                for stage in super().get_login_stages()]
