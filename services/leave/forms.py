"""The forms of leave: filing a leave request, and asking to cancel or shorten approved leave.

They collect and parse; the checks at submission come from services.leave.checks, and the days a
request takes are counted by the kind when it is filed (services.leave.kinds), never here.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from services.kinds.base import DateInput, KindForm
from services.leave import days
from services.leave.cancellation import cancellation_refusal
from services.leave.checks import LeaveProposal, leave_request_check
from services.leave.models import LeaveCancellation, LeaveOccasion, LeaveRequest, LeaveType


def substitute_candidates(applicant):
    """Whom an applicant may name as substitute: the active colleagues of their own unit (what the form offers)."""
    if applicant.unit_id is None:
        return get_user_model().objects.none()
    return (get_user_model().objects.filter(unit_id=applicant.unit_id, is_active=True).exclude(pk=applicant.pk)
            .only("email", "first_name", "last_name"))


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
        if not substitute_candidates(self.applicant).filter(pk=user.pk).exists():
            raise forms.ValidationError(
                _("%(person)s does not work in your unit; name a colleague of your unit as substitute."),
                code="substitute_outside_unit", params={"person": user})
        self._checked_by_the_form.add("substitute")  # found above: the model need not look for the person again
        return user

    def clean(self):
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
            request_id=self.instance.pk, memo=self.instance,
        )
        for problem in leave_request_check(proposal=proposal):
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return cleaned

    def working_days(self) -> Decimal | None:
        """The working days of the period entered, for display while the form is filled in; the kind stores the same
        count when the request is filed (services.leave.kinds.LeaveKind.complete_details), counted once for all three."""
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("start_date"), data.get("end_date")
        if not start or not end or end < start:
            return None
        return days.working_days(employee=self.applicant, start=start, end=end,
                                 half_day_start=bool(data.get("half_day_start")), half_day_end=bool(data.get("half_day_end")),
                                 memo=self.instance)

    def attachment_required(self) -> bool:
        leave_type = getattr(self, "cleaned_data", {}).get("leave_type")
        return bool(leave_type and leave_type.attachment_required)


class CancellationExtent(models.TextChoices):
    WHOLE = "whole", _("Cancel the whole leave")
    FROM_DATE = "from_date", _("Shorten it: I am back at work from a later day")


class LeaveCancellationForm(KindForm):
    """Whole or from a day on; used to ask for a cancellation and to change one sent back for changes."""

    extent = forms.ChoiceField(label=_("What should be cancelled?"), choices=CancellationExtent.choices,
                               initial=CancellationExtent.WHOLE, widget=forms.RadioSelect())

    class Meta:
        model = LeaveCancellation
        fields = ["from_date", "reason"]
        labels = {"from_date": _("Back at work from")}
        widgets = {"from_date": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "from_date": _("Only when shortening: the first day you are no longer on leave, e.g. 14.04.2027."),
            "reason": _("Optional. Anything the approver should know."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["extent"] = CancellationExtent.FROM_DATE if self.instance.from_date else CancellationExtent.WHOLE

    def clean(self):
        cleaned = super().clean()
        extent = cleaned.get("extent")
        if extent == CancellationExtent.WHOLE:
            cleaned["from_date"] = None
        elif extent == CancellationExtent.FROM_DATE and not cleaned.get("from_date") and "from_date" not in self.errors:
            self.add_error("from_date", _("Enter the first day you are back at work."))
        if extent and not self.errors and self.instance.original_id:
            original = self.instance.original
            refusal = cancellation_refusal(original=original, leave=getattr(original, "leave", None),
                                           from_date=cleaned.get("from_date"), today=timezone.localdate())
            if refusal:
                self.add_error("from_date" if cleaned.get("from_date") else "extent", refusal)
        return cleaned

    def save(self, commit: bool = True):
        self.instance.from_date = self.cleaned_data.get("from_date")
        return super().save(commit=commit)


class LeaveNoticeProofForm(forms.Form):
    """Which notices HR downloads as proof: a year, optionally one person."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              help_text=_("Four digits; this year if left empty."), required=False)
    person = forms.CharField(label=_("Personnel number"), max_length=32, required=False,
                             help_text=_("Leave empty for every person of the units you review."))

    def clean_year(self) -> int:
        return self.cleaned_data.get("year") or timezone.localdate().year

    def clean_person(self) -> str:
        return self.cleaned_data.get("person", "").strip()

