"""Leave (Urlaub): annual leave, special leave, paid time off for an occasion, flexitime days."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from services import leave_rules
from services.kinds.base import ApprovalStep, DateInput, KindForm, RequestKind, registry
from services.models import ServiceRequest


def _in_language(german: str, english: str) -> str:
    """The English name when the reader reads English (and one exists), the German one otherwise."""
    return english if english and (get_language() or "").startswith("en") else german


class LeaveType(models.Model):
    """A type of leave staff can choose (annual leave, special leave, …), configured by the administrators.

    Whether it counts against the annual leave balance, whether half days are allowed, whether proof
    must be attached, whether a named substitute must confirm before the approvers see the request and
    how many days one request may take are properties of the record, so that the
    city can add a type (e.g. Bildungsurlaub) without a release. Requests point to it with PROTECT:
    a type in use is switched off (`active`), never deleted.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True, help_text=_("A stable key, e.g. annual."))
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    deducts_from_balance = models.BooleanField(_("counts against the annual leave"), default=False)
    half_days_allowed = models.BooleanField(_("half days allowed"), default=True)
    attachment_required = models.BooleanField(_("proof must be attached"), default=False)
    requires_occasion = models.BooleanField(
        _("an occasion must be chosen"), default=False, help_text=_("For paid time off for an occasion (TVöD §29)."),
    )
    substitute_must_confirm = models.BooleanField(
        _("the substitute must confirm"), default=False,
        help_text=_("A request naming a substitute waits for the substitute's confirmation before it reaches the approvers."),
    )
    max_days = models.DecimalField(_("at most days per request"), max_digits=5, decimal_places=1, null=True, blank=True)
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("type of leave")
        verbose_name_plural = _("types of leave")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_days__isnull=True) | models.Q(max_days__gt=0),
                                   name="leave_type_max_days_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_de, self.name_en)


class LeaveOccasion(models.Model):
    """An occasion for paid time off (Arbeitsbefreiung) and how many working days it gives, TVöD §29 (1) a–f.

    `max_days` is empty where the collective agreement gives "as much as needed" (medical treatment
    that must take place during working hours, §29 (1) f). `per_calendar_year` marks limits that
    apply to the calendar year rather than to each occasion (§29 (1) e).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=60, blank=True, help_text=_("E.g. TVöD §29 (1) a."))
    max_days = models.DecimalField(_("at most working days"), max_digits=4, decimal_places=1, null=True, blank=True,
                                   help_text=_("Empty: as much as needed."))
    per_calendar_year = models.BooleanField(_("limit per calendar year"), default=False)
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("occasion for paid time off")
        verbose_name_plural = _("occasions for paid time off")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_de, self.name_en)


class MunicipalDayOff(models.Model):
    """A day the city gives its staff off beyond the public holidays, e.g. Rosenmontag, or 24 and 31 December.

    A whole day off takes no leave; a half day off takes half a day of leave (the other half is free).
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    half_day = models.BooleanField(_("half day only"), default=False,
                                   help_text=_("Only the afternoon is off, e.g. on 24 and 31 December."))

    class Meta:
        verbose_name = _("municipal day off")
        verbose_name_plural = _("municipal days off")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d.%m.%Y})"


def count_working_days(start: datetime.date, end: datetime.date, *, employee=None, half_day_start: bool = False,
                       half_day_end: bool = False) -> Decimal:
    """Thin wrapper around `services.leave_rules`: the employee's working days, or Monday to Friday without holidays."""
    if employee is not None:
        return leave_rules.working_days(employee=employee, start=start, end=end, half_day_start=half_day_start,
                                        half_day_end=half_day_end)
    return leave_rules.count_days(start=start, end=end, half_day_start=half_day_start, half_day_end=half_day_end)


class LeaveRequest(models.Model):
    """The typed fields of a leave request."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="leave")
    leave_type = models.ForeignKey(LeaveType, verbose_name=_("type of leave"), on_delete=models.PROTECT, related_name="+")
    occasion = models.ForeignKey(LeaveOccasion, verbose_name=_("occasion"), on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
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
            models.CheckConstraint(condition=models.Q(working_days__gt=0), name="leave_working_days_positive"),
        ]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        return f"{self.leave_type}: {self.start_date:%d.%m.%Y} – {self.end_date:%d.%m.%Y}"

    def substitute_to_confirm(self):
        """The substitute who must confirm before the approvers see this request, or None (no substitute, or the type does not ask)."""
        return self.substitute if self.substitute_id and self.leave_type.substitute_must_confirm else None

    def get_leave_type_display(self) -> str:
        """The type's name in the reader's language (kept under Django's name for templates written against choices)."""
        return self.leave_type.name


class SubstituteField(forms.EmailField):
    """A colleague named by email address; the form turns it into a user."""

    widget = forms.EmailInput(attrs={"autocomplete": "off", "list": "substitute-options"})


class CodeOrIdChoiceField(forms.ModelChoiceField):
    """A record chosen by id, as the form offers it; its code ("annual") is understood too.

    Drafts saved before leave types were records hold the code, and so do the demo data and scripts.
    Anything else (a forged id, an inactive record) is a field error naming the value.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str) and not value.strip().isdigit():
            found = self.queryset.filter(code=value.strip()).first()
            if found is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
            return found
        return super().to_python(value)


class LeaveTypeChoiceField(CodeOrIdChoiceField):
    default_error_messages = {
        "invalid_choice": _("Select a valid choice: “%(value)s” is not one of the types of leave offered."),
    }

    def label_from_instance(self, obj: LeaveType) -> str:
        return obj.name


class LeaveOccasionChoiceField(CodeOrIdChoiceField):
    default_error_messages = {
        "invalid_choice": _("Select a valid choice: “%(value)s” is not one of the occasions offered."),
    }

    def label_from_instance(self, obj: LeaveOccasion) -> str:
        if obj.max_days is None:
            return gettext("%(name)s (as needed)") % {"name": obj.name}
        count = 1 if obj.max_days == 1 else 2  # "1 day", "1.5 days", "2 days"
        values = {"name": obj.name, "days": number_format(obj.max_days.normalize())}
        if obj.per_calendar_year:
            return ngettext("%(name)s (up to %(days)s day a year)", "%(name)s (up to %(days)s days a year)", count) % values
        return ngettext("%(name)s (up to %(days)s day)", "%(name)s (up to %(days)s days)", count) % values


class LeaveRequestForm(KindForm):
    leave_type = LeaveTypeChoiceField(
        label=_("Type of leave"), queryset=LeaveType.objects.filter(active=True), empty_label=None, widget=forms.RadioSelect(),
    )
    occasion = LeaveOccasionChoiceField(
        label=_("Occasion"), queryset=LeaveOccasion.objects.filter(active=True), required=False,
        help_text=_("Only for paid time off for an occasion (TVöD §29)."),
    )
    substitute = SubstituteField(
        label=_("Substitute"), required=False,
        help_text=_("Email address of the colleague who covers for you, e.g. clara.wolf@musterstadt.example."),
    )

    class Meta:
        model = LeaveRequest
        fields = ["leave_type", "occasion", "start_date", "end_date", "half_day_start", "half_day_end", "substitute", "note"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
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
        # A draft saved before leave types were records holds the code: show the record it meant.
        initial_type = self.initial.get("leave_type")
        if isinstance(initial_type, str) and not initial_type.isdigit():
            found = LeaveType.objects.filter(code=initial_type).first()
            self.initial["leave_type"] = found.pk if found else None

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
        from services.leave_checks import LeaveProposal, leave_request_check

        cleaned = super().clean()
        self.clean_period("start_date", "end_date")
        leave_type: LeaveType | None = cleaned.get("leave_type")
        if leave_type is not None and not leave_type.requires_occasion:
            cleaned["occasion"] = None
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if leave_type is None or not start or not end or {"start_date", "end_date", "half_day_start", "half_day_end"} & set(self.errors):
            return cleaned
        if start == end and cleaned.get("half_day_start") and cleaned.get("half_day_end"):
            self.add_error("half_day_end", _("For a single day, choose at most one half day."))
            return cleaned
        proposal = LeaveProposal(
            employee=self.applicant, leave_type=leave_type, occasion=cleaned.get("occasion"), start=start, end=end,
            half_day_start=bool(cleaned.get("half_day_start")), half_day_end=bool(cleaned.get("half_day_end")),
            substitute=cleaned.get("substitute") if "substitute" not in self.errors else None,
            request_id=self.instance.pk,
        )
        for problem in leave_request_check(proposal=proposal):
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return cleaned

    def working_days(self) -> Decimal | None:
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("start_date"), data.get("end_date")
        if not start or not end or end < start:
            return None
        return leave_rules.working_days(employee=self.applicant, start=start, end=end,
                                        half_day_start=bool(data.get("half_day_start")), half_day_end=bool(data.get("half_day_end")))

    def attachment_required(self) -> bool:
        leave_type = getattr(self, "cleaned_data", {}).get("leave_type")
        return bool(leave_type and leave_type.attachment_required)

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
