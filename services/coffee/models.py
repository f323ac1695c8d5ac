"""Presence in the coffee kitchen and the editors' video room setting (registered with the `services` app)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


def validate_https(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("The video room needs an address that begins with https://."))


class CoffeePresence(models.Model):
    """Someone in the kitchen right now, until `until`; deleted once that has passed (no history is kept)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(_("in the kitchen until"), db_index=True)

    class Meta:
        verbose_name = _("coffee kitchen presence")
        verbose_name_plural = _("coffee kitchen presences")

    def __str__(self) -> str:
        return str(self.user)


@register_setting(icon="group")
class CoffeeKitchenSettings(BaseGenericSetting):
    """The city's video room where the coffee kitchen meets (its own Jitsi or BigBlueButton), set by the editors."""

    video_room_url = models.URLField(_("video room"), blank=True, max_length=500, validators=[validate_https],
                                     help_text=_("The address of the city's video room, beginning with https://."))

    panels = [FieldPanel("video_room_url")]

    class Meta:
        verbose_name = _("coffee kitchen")
