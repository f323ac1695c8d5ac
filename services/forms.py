"""Forms around the kinds' own forms: attachments, comments, and turning a POST into draft data."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.models import User
from services.attachments import attachment_validate


class AttachmentForm(forms.Form):
    attachment = forms.FileField(
        label=_("Attachment"), required=False,
        help_text=_("Optional proof, e.g. an invitation or certificate: PDF, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def clean_attachment(self):
        uploaded = self.cleaned_data.get("attachment")
        if uploaded:
            attachment_validate(uploaded)
        return uploaded

    def uploaded_files(self) -> list:
        uploaded = self.cleaned_data.get("attachment")
        return [uploaded] if uploaded else []


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(CommentForm):
    """The approver's comment on the request page; required for a rejection or a request for changes (the
    workflow says so, services.workflow.request_decide)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _("Required when you reject the request or ask for changes.")


class SubstituteDeclineForm(CommentForm):
    """The named substitute's reason for declining; the workflow requires it."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "substitute-decline-%s")
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = _("Reason for declining")
        self.fields["comment"].help_text = _("Required when you decline, so that your colleague knows what to do.")
        # Required, but checked by the workflow (one rule, one message): the label drops "optional".
        self.fields["comment"].required_by_rule = True
        self.fields["comment"].widget.attrs["aria-required"] = "true"


class ForwardForm(forms.Form):
    """Whom to pass one case to, by e-mail address, with an optional comment."""

    email = forms.EmailField(label=_("Email address of the colleague"),
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "forward-%s")
        super().__init__(*args, **kwargs)
        self.colleague: User | None = None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        self.colleague = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.colleague is None:
            raise forms.ValidationError(_("No active colleague has this email address."))
        return email


class ReferencesField(forms.MultipleChoiceField):
    """The references ticked in a table: any may be sent; the services layer decides which one may act on."""

    def valid_value(self, value) -> bool:
        return bool(value)


class BulkApproveForm(CommentForm):
    """The queue's bulk approval: the ticked requests (at most 100) and one comment for all of them."""

    selected = ReferencesField(label=_("Requests to approve"),
                               error_messages={"required": _("Select at least one request to approve.")})

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "queue-%s")
        super().__init__(*args, **kwargs)

    def clean_selected(self) -> list[str]:
        return list(dict.fromkeys(self.cleaned_data["selected"]))[:100]


def period_clean(form: forms.Form, cleaned: dict) -> None:
    """A period's two days (`start`, `end`, both optional): each within the portal's dates, the end not before the
    start; the error is put on the field it concerns."""
    start, end = cleaned.get("start"), cleaned.get("end")
    for name, value in (("start", start), ("end", end)):
        if value and not dates.is_in_range(value):
            form.add_error(name, dates.out_of_range_message())
    if not form.errors and start and end and end < start:
        form.add_error("end", _("The end of the period must not be before its start."))


class AuditPeriodForm(forms.Form):
    """The period of an audit export: both days included."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        cleaned = super().clean()
        period_clean(self, cleaned)
        return cleaned


class DecidedFilterForm(forms.Form):
    """The filters of the list of decisions: who decided, the kind, the days, the outcome; all optional."""

    PERSON_PREFIX = "person-"

    decided_by = forms.ChoiceField(label=_("Decided by"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Until"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)

    def __init__(self, *args, deciders, kinds, outcomes, decided_by_choices, **kwargs) -> None:
        kwargs.setdefault("auto_id", "decided-%s")
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["decided_by"].choices = [*everyone, *decided_by_choices, *[
            (f"{self.PERSON_PREFIX}{person.pk}", person.get_full_name() or person.email) for person in deciders]]
        self.fields["kind"].choices = [*everyone, *kinds]
        self.fields["outcome"].choices = [*everyone, *outcomes]

    def clean(self):
        cleaned = super().clean()
        period_clean(self, cleaned)
        return cleaned

    def filters(self) -> dict:
        """The selector's arguments (services.selectors.decisions_of) for what was chosen."""
        data = self.cleaned_data
        decided_by = data.get("decided_by") or None
        actor_id = None
        if decided_by and decided_by.startswith(self.PERSON_PREFIX):
            actor_id, decided_by = int(decided_by.removeprefix(self.PERSON_PREFIX)), None
        return {"decided_by": decided_by, "actor_id": actor_id, "kind": data.get("kind") or None,
                "start": data.get("start"), "end": data.get("end"), "outcome": data.get("outcome") or None}


def draft_data_from_post(form: forms.BaseForm, data: QueryDict) -> dict:
    """The raw values a person entered for the form's fields, kept as they were typed."""
    kept = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.MultipleChoiceField):
            kept[name] = data.getlist(key)
        elif key in data:
            kept[name] = data.get(key)[:5000]
    return kept
