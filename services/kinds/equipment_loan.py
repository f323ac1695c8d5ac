"""Equipment loan (take a monitor, headset or laptop home)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.kinds.base import ApprovalStep, DateInput, KindForm, RequestKind, registry


class EquipmentItem(models.TextChoices):
    MONITOR = "monitor", _("Monitor")
    HEADSET = "headset", _("Headset")
    LAPTOP = "laptop", _("Laptop")
    DOCKING_STATION = "docking_station", _("Docking station")
    KEYBOARD = "keyboard", _("Keyboard")
    MOUSE = "mouse", _("Mouse")
    WEBCAM = "webcam", _("Webcam")


class EquipmentLoanRequest(models.Model):
    """The typed fields of an equipment loan."""

    request = models.OneToOneField("services.ServiceRequest", on_delete=models.CASCADE, primary_key=True, related_name="equipment_loan")
    items = models.JSONField(_("items"), default=list)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    confirms_address = models.BooleanField(_("home address confirmed"))
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("equipment loan")
        verbose_name_plural = _("equipment loans")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="equipment_end_not_before_start"),
            models.CheckConstraint(condition=models.Q(confirms_address=True), name="equipment_address_confirmed"),
        ]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        return f"{', '.join(self.item_labels())}: {self.start_date:%d.%m.%Y} – {self.end_date:%d.%m.%Y}"

    def item_labels(self) -> list[str]:
        return [str(EquipmentItem(item).label) for item in self.items]


class EquipmentLoanRequestForm(KindForm):
    items = forms.MultipleChoiceField(
        label=_("Items"), choices=EquipmentItem.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one item.")},
    )
    confirms_address = forms.BooleanField(
        label=_("The equipment will be used at my home address as recorded by HR, and I will bring it back when the loan ends."),
        error_messages={"required": _("Confirm where the equipment will be used.")},
    )

    class Meta:
        model = EquipmentLoanRequest
        fields = ["items", "start_date", "end_date", "confirms_address", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"note": _("Optional, e.g. the size of monitor you need.")}

    def clean(self):
        cleaned = super().clean()
        self.clean_period("start_date", "end_date")
        return cleaned


KIND = registry.register(RequestKind(
    slug="equipment_loan",
    steps=(ApprovalStep("decide_equipment_loan", _("Unit")), ApprovalStep("review_it_service_desk", _("IT service desk"))),
    label=_("Equipment loan"),
    description=_("Take a monitor, headset or laptop home."),
    model=EquipmentLoanRequest,
    form_class=EquipmentLoanRequestForm,
    detail_template="services/kinds/equipment_loan.html",
))
