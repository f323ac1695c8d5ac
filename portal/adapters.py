from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the HR import or the administrators: there is no open registration."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def can_delete_email(self, email_address) -> bool:
        """Addresses come from the HR import (see portal.views.account_email); none is removed in the portal."""
        return False
