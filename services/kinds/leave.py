"""Leave (Urlaub): annual leave, special leave, paid time off for an occasion, flexitime days."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.kinds.base import ApprovalStep, DateInput, KindForm, RequestKind, registry
from services.models import ServiceRequest


class LeaveType(models.TextChoices):
    ANNUAL = "annual", _("Annual leave (Erholungsurlaub)")
    SPECIAL = "special", _("Special leave (Sonderurlaub)")
    OCCASION = "occasion", _("Paid time off for an occasion (Arbeitsbefreiung)")
    FLEXITIME = "flexitime", _("Flexitime day (Gleittag)")


def count_working_days(start: datetime.date, end: datetime.date, *, half_day_start: bool = False,
                       half_day_end: bool = False) -> Decimal:
    """Monday to Friday between start and end inclusive, less half a day for each half day.

    A deliberately simple count; public holidays and personal work patterns come with the leave rules.
    """
    if end < start:
        return Decimal("0")
    days = Decimal("0")
    current = start
    while current <= end:
        if current.isoweekday() <= 5:
            days += 1
        current += datetime.timedelta(days=1)
    if start == end:
        # One day is halved at most once, whichever half the person chose.
        if (half_day_start or half_day_end) and start.isoweekday() <= 5:
            days -= Decimal("0.5")
        return days
    if half_day_start and start.isoweekday() <= 5:
        days -= Decimal("0.5")
    if half_day_end and end.isoweekday() <= 5:
        days -= Decimal("0.5")
    return max(days, Decimal("0"))


class LeaveRequest(models.Model):
    """The typed fields of a leave request."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="leave")
    leave_type = models.CharField(_("type of leave"), max_length=16, choices=LeaveType.choices)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    half_day_start = models.BooleanField(_("only half of the first day"), default=False)
    half_day_end = models.BooleanField(_("only half of the last day"), default=False)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("substitute"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    working_days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="leave_end_not_before_start"),
            models.CheckConstraint(condition=models.Q(leave_type__in=LeaveType.values), name="leave_type_valid"),
            models.CheckConstraint(condition=models.Q(working_days__gt=0), name="leave_working_days_positive"),
        ]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        return f"{self.get_leave_type_display()}: {self.start_date:%d.%m.%Y} – {self.end_date:%d.%m.%Y}"


class SubstituteField(forms.EmailField):
    """A colleague named by email address; the form turns it into a user."""

    widget = forms.EmailInput(attrs={"autocomplete": "off", "list": "substitute-options"})


class LeaveRequestForm(KindForm):
    substitute = SubstituteField(
        label=_("Substitute"), required=False,
        help_text=_("Email address of the colleague who covers for you, e.g. clara.wolf@musterstadt.example."),
    )

    class Meta:
        model = LeaveRequest
        fields = ["leave_type", "start_date", "end_date", "half_day_start", "half_day_end", "substitute", "note"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "leave_type": forms.RadioSelect(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "start_date": _("For example 14.04.2027."),
            "half_day_start": _("You start your leave at midday."),
            "half_day_end": _("You return at midday."),
            "note": _("Optional. Anything the approver should know."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        substitute = getattr(self.instance, "substitute", None) if self.instance.pk else None
        if substitute and not self.is_bound:
            self.initial["substitute"] = substitute.email
        self.fields["leave_type"].choices = LeaveType.choices

    def clean_substitute(self):
        email = self.cleaned_data.get("substitute")
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody with the address %(email)s works here; check the spelling."),
                                        code="unknown_substitute", params={"email": email})
        if user.pk == self.applicant.pk:
            raise forms.ValidationError(_("You cannot be your own substitute."), code="self_substitute")
        return user

    def clean(self):
        cleaned = super().clean()
        self.clean_period("start_date", "end_date")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and not {"start_date", "end_date", "half_day_start", "half_day_end"} & set(self.errors):
            if start == end and cleaned.get("half_day_start") and cleaned.get("half_day_end"):
                self.add_error("half_day_end", _("For a single day, choose at most one half day."))
            elif self.working_days() <= 0:
                self.add_error("end_date", _("The period from %(start)s to %(end)s contains no working day.") % {
                    "start": start.strftime("%d.%m.%Y"), "end": end.strftime("%d.%m.%Y")})
        return cleaned

    def working_days(self) -> Decimal | None:
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("start_date"), data.get("end_date")
        if not start or not end or end < start:
            return None
        return count_working_days(start, end, half_day_start=bool(data.get("half_day_start")),
                                  half_day_end=bool(data.get("half_day_end")))

    def save(self, commit: bool = True):
        self.instance.working_days = self.working_days()
        return super().save(commit=commit)


KIND = registry.register(RequestKind(
    slug="leave",
    steps=(ApprovalStep("decide_leave", _("Unit")),),
    label=_("Leave"),
    description=_("Annual leave, special leave, paid time off for an occasion or a flexitime day."),
    model=LeaveRequest,
    form_class=LeaveRequestForm,
    detail_template="services/kinds/leave.html",
    accepts_attachments=True,
))
