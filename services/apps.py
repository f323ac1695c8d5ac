from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    """The request domain: request kinds, their lifecycle, permissions and documents."""

    name = "services"
    verbose_name = _("Requests")
