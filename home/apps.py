from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The Wagtail pages of the portal: dashboard, guidance and the service pages hosting the forms."""

    name = "home"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from wagtail.signals import page_published

        from home.phishing_warnings import on_page_published

        page_published.connect(on_page_published, sender=None, dispatch_uid="home_phishing_warning_go_live")
