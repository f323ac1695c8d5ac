from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Accounts, employee profiles and the organisation tree of the city administration."""

    name = "portal"
    verbose_name = _("Staff and organisation")

    def ready(self) -> None:
        from portal import security_log, sso

        security_log.connect_receivers()
        sso.connect_receivers()
