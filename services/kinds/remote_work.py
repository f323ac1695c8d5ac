"""Remote work (mobiles Arbeiten / Telearbeit): occasional or on fixed weekdays."""

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.kinds.base import ApprovalStep, DateInput, KindForm, RequestKind, TimeInput, registry


class RemoteWorkVariant(models.TextChoices):
    OCCASIONAL = "occasional", _("Occasional remote work (mobiles Arbeiten), as a share of weekly hours")
    REGULAR = "regular", _("Regular remote work on fixed weekdays (Telearbeit)")

class RemoteWeekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")

class RemoteEquipment(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    MONITOR = "monitor", _("Monitor")
    HEADSET = "headset", _("Headset")
    PHONE = "phone", _("Mobile phone")
    KEYBOARD_MOUSE = "keyboard_mouse", _("Keyboard and mouse")

class RemoteWorkRequest(models.Model):
    """The typed fields of a remote-work arrangement."""

    request = models.OneToOneField("services.ServiceRequest", on_delete=models.CASCADE, primary_key=True, related_name="remote_work")
    variant = models.CharField(_("variant"), max_length=16, choices=RemoteWorkVariant.choices)
    weekdays = models.JSONField(_("weekdays at home"), default=list, blank=True)
    share_percent = models.PositiveSmallIntegerField(
        _("share of weekly hours (%)"), null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(80)]
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    reachable_from = models.TimeField(_("reachable from"))
    reachable_until = models.TimeField(_("reachable until"))
    confirms_data_protection = models.BooleanField(_("data protection confirmed"))
    confirms_ergonomics = models.BooleanField(_("workplace self-check confirmed"))
    equipment = models.JSONField(_("equipment needed"), default=list, blank=True)

    class Meta:
        verbose_name = _("remote work request")
        verbose_name_plural = _("remote work requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="remote_work_end_not_before_start",
            ),
            models.CheckConstraint(condition=models.Q(reachable_until__gt=models.F("reachable_from")),
                                   name="remote_work_reachability_ordered"),
            models.CheckConstraint(condition=models.Q(confirms_data_protection=True, confirms_ergonomics=True),
                                   name="remote_work_confirmations_given"),
            models.CheckConstraint(condition=models.Q(variant__in=RemoteWorkVariant.values), name="remote_work_variant_valid"),
            models.CheckConstraint(
                condition=models.Q(share_percent__isnull=True) | models.Q(share_percent__gte=10, share_percent__lte=80),
                name="remote_work_share_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        until = f"{self.end_date:%d.%m.%Y}" if self.end_date else "…"
        return f"{self.get_variant_display()}: {self.start_date:%d.%m.%Y} – {until}"

    def weekday_labels(self) -> list[str]:
        return [str(RemoteWeekday(day).label) for day in self.weekdays]

    def equipment_labels(self) -> list[str]:
        return [str(RemoteEquipment(item).label) for item in self.equipment]

class RemoteWorkRequestForm(KindForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays at home"), choices=RemoteWeekday.choices, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Only for regular remote work."),
    )
    equipment = forms.MultipleChoiceField(
        label=_("Equipment needed"), choices=RemoteEquipment.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Leave empty if you work with your own equipment."),
    )
    confirms_data_protection = forms.BooleanField(
        label=_("I will protect personal data at home: screen lock, no printing of personal data, no family access."),
        error_messages={"required": _("Confirm that you will protect personal data at home.")},
    )
    confirms_ergonomics = forms.BooleanField(
        label=_("I have completed the workplace self-check (ergonomics, lighting, safety)."),
        error_messages={"required": _("Confirm that you have completed the workplace self-check.")},
    )

    class Meta:
        model = RemoteWorkRequest
        fields = ["variant", "weekdays", "share_percent", "start_date", "end_date", "reachable_from", "reachable_until",
                  "equipment", "confirms_data_protection", "confirms_ergonomics"]
        widgets = {
            "variant": forms.RadioSelect(),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "reachable_from": TimeInput(),
            "reachable_until": TimeInput(),
        }
        help_texts = {
            "share_percent": _("Only for occasional remote work: between 10 and 80 percent."),
            "end_date": _("Optional; leave empty for an open-ended arrangement."),
            "reachable_from": _("Core hours in which colleagues can reach you, e.g. 09:00."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = RemoteWorkVariant.choices

    def clean(self):
        cleaned = super().clean()
        variant = cleaned.get("variant")
        if variant == RemoteWorkVariant.REGULAR:
            if not cleaned.get("weekdays") and "weekdays" not in self.errors:
                self.add_error("weekdays", _("Choose the weekdays you will work at home."))
            cleaned["share_percent"] = None
        elif variant == RemoteWorkVariant.OCCASIONAL:
            if cleaned.get("share_percent") is None and "share_percent" not in self.errors:
                self.add_error("share_percent", _("Enter the share of your weekly hours you will work remotely."))
            cleaned["weekdays"] = []
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", _("The end (%(end)s) must not be before the start (%(start)s).") % {
                    "end": end.strftime("%d.%m.%Y"), "start": start.strftime("%d.%m.%Y")})
            elif end > start + relativedelta(months=settings.REMOTE_WORK_MAX_MONTHS):
                self.add_error("end_date", _("An arrangement may last at most %(months)d months.") % {
                    "months": settings.REMOTE_WORK_MAX_MONTHS})
        reach_from, reach_until = cleaned.get("reachable_from"), cleaned.get("reachable_until")
        if reach_from and reach_until and reach_until <= reach_from:
            self.add_error("reachable_until", _("The end of your reachable hours must be after their start."))
        return cleaned

KIND = registry.register(RequestKind(
    slug="remote_work",
    steps=(ApprovalStep("decide_remote_work", _("Unit")), ApprovalStep("review_personnel", _("HR (Personalamt)"))),
    label=_("Remote work"),
    description=_("Work from home occasionally or on fixed weekdays."),
    model=RemoteWorkRequest,
    form_class=RemoteWorkRequestForm,
    detail_template="services/kinds/remote_work.html",
))
