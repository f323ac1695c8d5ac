from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.sso import local_login_offered


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the HR import or the administrators: there is no open registration."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def can_delete_email(self, email_address) -> bool:
        """Addresses come from the HR import (see portal.views.account_email); none is removed in the portal."""
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with its second-factor step replaced by one that accepts the city provider's MFA."""
        return ["portal.sso.ProviderMFAAuthenticateStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
                for stage in super().get_login_stages()]

    def pre_authenticate(self, request, **credentials) -> None:
        """Password logins are refused when the city's provider is the only way in (OIDC_LOCAL_LOGIN off)."""
        if not local_login_offered():
            raise ValidationError(_("Please log in with your city account."))
        super().pre_authenticate(request, **credentials)
