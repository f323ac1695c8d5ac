"""Forms around the kinds' own forms: attachments, comments, and turning a POST into draft data."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portal import dates
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


class AuditPeriodForm(forms.Form):
    """The period of an audit export: both days included."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, value in (("start", start), ("end", end)):
            if value and not dates.is_in_range(value):
                self.add_error(name, dates.out_of_range_message())
        if self.errors:
            return cleaned
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period must not be before its start."))
        return cleaned


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
