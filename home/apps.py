from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The Wagtail pages of the portal: dashboard, guidance and the service pages hosting the forms."""

    name = "home"
    verbose_name = _("Pages")
