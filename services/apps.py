from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    """The request domain: request kinds, their lifecycle, permissions and documents."""

    name = "services"
    verbose_name = _("Requests")

    def ready(self) -> None:
        # The kinds of a capability package register with the kind registry once every model is loaded
        # (the simple kinds register from services.kinds, imported with the models).
        # Every final decision issues its decision document in the background; every queued mail, the portal's and
        # allauth's, wakes the worker that sends the outbox.
        from post_office.signals import email_queued

        from services import permissions
        from services.documents import receivers
        from services.leave import kinds  # noqa: F401
        from services.outbox.tasks import wake_sender_when_mail_is_queued

        receivers.connect()
        permissions.connect_memo_receivers()
        email_queued.connect(wake_sender_when_mail_is_queued, dispatch_uid="services.outbox.wake_sender")
