from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError

from portal.security_log import client_address, security_event


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
        """allauth's count of failed logins, with a security event when it refuses an attempt."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                account = credentials.get("email") or credentials.get("username") or credentials.get("login")
                security_event("login_rate_limited", request=request, account=account, outcome="refused")
            raise
