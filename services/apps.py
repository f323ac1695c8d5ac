from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    """The request domain: request kinds, their lifecycle, permissions and documents."""

    name = "services"
    verbose_name = _("Requests")

    def ready(self) -> None:
        # The kinds of a capability package register with the kind registry once every model is loaded
        # (the simple kinds register from services.kinds, imported with the models).
        # Every final decision issues its decision document in the background.
        from services.documents import receivers
        from services.leave import kinds  # noqa: F401

        receivers.connect()
