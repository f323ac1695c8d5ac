from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the HR import or the administrators: there is no open registration."""

    def is_open_for_signup(self, request) -> bool:
        return False
