"""VPN access (VPN-Zugang) from a municipal or a private device."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.kinds.base import ApprovalStep, DateInput, KindForm, RequestKind, registry


class VpnDevice(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal device (issued by the city)")
    PRIVATE = "private", _("Private device")


class VpnSystem(models.TextChoices):
    EMAIL = "email", _("Email and calendar")
    FILE_SHARES = "file_shares", _("File shares")
    DMS = "dms", _("Document management (e-file)")
    SPECIALIST = "specialist", _("Specialist applications of my office")
    INTRANET = "intranet", _("Intranet")
    TELEPHONY = "telephony", _("Softphone")


class VpnAccessRequest(models.Model):
    """The typed fields of a VPN access request."""

    request = models.OneToOneField("services.ServiceRequest", on_delete=models.CASCADE, primary_key=True, related_name="vpn_access")
    device = models.CharField(_("device"), max_length=16, choices=VpnDevice.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    systems = models.JSONField(_("systems needed"), default=list)
    confirms_private_device_rules = models.BooleanField(_("rules for private devices confirmed"), default=False)

    class Meta:
        verbose_name = _("VPN access request")
        verbose_name_plural = _("VPN access requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="vpn_end_not_before_start"),
            models.CheckConstraint(condition=models.Q(device__in=VpnDevice.values), name="vpn_device_valid"),
            models.CheckConstraint(
                condition=~models.Q(device=VpnDevice.PRIVATE) | models.Q(confirms_private_device_rules=True),
                name="vpn_private_device_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        return f"{self.get_device_display()}: {self.start_date:%d.%m.%Y} – {self.end_date:%d.%m.%Y}"

    def system_labels(self) -> list[str]:
        return [str(VpnSystem(item).label) for item in self.systems]


class VpnAccessRequestForm(KindForm):
    systems = forms.MultipleChoiceField(
        label=_("Systems needed"), choices=VpnSystem.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one system you need to reach.")},
    )
    confirms_private_device_rules = forms.BooleanField(
        label=_(
            "My private device has current security updates, a screen lock and virus protection,"
            " and nobody else uses my account on it."
        ),
        required=False,
    )

    class Meta:
        model = VpnAccessRequest
        fields = ["device", "reason", "start_date", "end_date", "systems", "confirms_private_device_rules"]
        widgets = {
            "device": forms.RadioSelect(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "reason": _("Why you need access from outside the city network."),
            "end_date": _("Access is granted for at most one year at a time."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].choices = VpnDevice.choices

    def clean(self):
        cleaned = super().clean()
        self.clean_period("start_date", "end_date")
        if cleaned.get("device") == VpnDevice.PRIVATE and not cleaned.get("confirms_private_device_rules"):
            self.add_error("confirms_private_device_rules", _("Confirm the rules for private devices, or choose a municipal device."))
        return cleaned


KIND = registry.register(RequestKind(
    slug="vpn_access",
    steps=(ApprovalStep("decide_vpn_access", _("Unit")), ApprovalStep("review_it_security", _("IT security"))),
    label=_("VPN access"),
    description=_("Reach the city network from home or on the road."),
    model=VpnAccessRequest,
    form_class=VpnAccessRequestForm,
    detail_template="services/kinds/vpn_access.html",
))
