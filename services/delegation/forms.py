"""Forms of the delegation pages: they collect and parse; services.delegation.services decides what is allowed."""

import datetime

from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import OrgUnit, User
from portal.responsibilities import responsibility_labels
from services.delegation import services as delegation_services
from services.permissions import Grant, delegable_units

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: OrgUnit) -> str:
        return f"{'– ' * (unit.depth - 1)}{unit.code} {unit.name}"


def _active_colleague(email: str) -> User:
    colleague = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if colleague is None:
        raise forms.ValidationError(_("No active colleague has this email address."))
    return colleague


def default_window(now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """From now (to the minute) to the end of the current month, in local time."""
    now = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
    next_month = (now.replace(day=1) + datetime.timedelta(days=32)).replace(day=1, hour=0, minute=0)
    return now, next_month


class DelegationForm(forms.Form):
    """Whom to delegate to, what, where and for how long — offering only what the delegator can pass on."""

    delegate_email = forms.EmailField(
        label=_("Colleague's email address"), required=False,
        help_text=_("Delegate to one person, or choose a group below instead."),
    )
    delegate_group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(), required=False)
    permissions = forms.MultipleChoiceField(label=_("Responsibilities"), widget=forms.CheckboxSelectMultiple)
    unit = UnitChoiceField(label=_("Unit (and all units below it)"), queryset=OrgUnit.objects.none())
    starts_at = forms.DateTimeField(label=_("From"), widget=DateTimeLocalInput(), input_formats=[DATETIME_LOCAL_FORMAT])
    ends_at = forms.DateTimeField(
        label=_("Until"), widget=DateTimeLocalInput(), input_formats=[DATETIME_LOCAL_FORMAT],
        help_text=_("The delegation ends at this moment."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    allow_redelegation = forms.BooleanField(label=_("The delegate may pass this on"), required=False)

    def __init__(self, *args, grants: list[Grant], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        held = {grant.permission for grant in grants}
        self.fields["permissions"].choices = [(codename, label) for codename, label in responsibility_labels().items()
                                              if codename in held]
        self.fields["unit"].queryset = delegable_units(grants)
        self.fields["delegate_group"].queryset = delegation_services.delegate_groups()
        self.delegate: User | None = None

    def clean_delegate_email(self) -> str:
        email = self.cleaned_data["delegate_email"]
        if email:
            self.delegate = _active_colleague(email)
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("delegate_email")) == bool(cleaned.get("delegate_group")):
            raise forms.ValidationError(_("Enter a colleague's email address or choose a group, not both."))
        return cleaned


class SubstituteForm(forms.Form):
    substitute_email = forms.EmailField(
        label=_("Substitute's email address"), required=False,
        help_text=_("Holds your responsibilities on the days of your approved leave. Leave empty to name nobody."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.substitute: User | None = None

    def clean_substitute_email(self) -> str:
        email = self.cleaned_data["substitute_email"]
        if email:
            self.substitute = _active_colleague(email)
        return email
