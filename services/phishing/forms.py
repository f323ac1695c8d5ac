"""The report form: an uploaded `.eml` or its pasted headers (or source), or sender, subject and links typed in, or the
address of a fake website."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from services.phishing import parsing
from services.phishing.models import Classification, ReportKind
from services.phishing.services import ReportContent


class PhishingReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you want to report?"), choices=ReportKind.choices, widget=forms.RadioSelect,
                             initial=ReportKind.EMAIL)
    eml = forms.FileField(
        label=_("The e-mail as a file (.eml)"), required=False,
        help_text=_("In your mail program, save the message as a file (“Save as”, .eml) and choose it here. The portal reads"
                    " sender, subject and links from it and keeps nothing else of it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".eml,message/rfc822"}),
    )
    # No max_length: a browser would cut a long paste off silently (and the cut source would still parse); the
    # size is checked in clean_source against the same limit as an uploaded file.
    source = forms.CharField(
        label=_("Or paste the e-mail's headers or full source"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("In your mail program, show the message's headers or source (“Show original”, “View source”,"
                    " “Internet headers”), copy everything and paste it here. It is read as text like an uploaded file:"
                    " sender, subject, links and the header block are kept, nothing else."),
    )
    sender = forms.CharField(label=_("Sender"), required=False, max_length=1000,
                             help_text=_("Or type the details: the sender's address as shown in the e-mail."))
    subject = forms.CharField(label=_("Subject"), required=False, max_length=500)
    links = forms.CharField(label=_("Links in the e-mail"), required=False, max_length=20_000,
                            widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
                            help_text=_("One address per line. Copy the link's address; do not open it."))
    url = forms.CharField(label=_("Address of the website"), required=False, max_length=1000,
                          help_text=_("For a fake website: its address, beginning with http:// or https://."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("For example: did you click the link or enter anything?"))

    def clean_eml(self):
        uploaded = self.cleaned_data.get("eml")
        if not uploaded:
            return None
        limit = settings.PHISHING_EML_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(_("The file is %(size)s; at most %(limit)s can be uploaded.")
                                        % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)})
        try:
            return parsing.parse_eml(uploaded.read(limit + 1)), uploaded.name
        except parsing.NotAnEmail as error:
            raise forms.ValidationError(_("This file is not an e-mail. Save the message from your mail program as"
                                          " “.eml” and choose that file.")) from error

    def clean_source(self):
        text = self.cleaned_data.get("source", "")
        if not text.strip():
            return None
        data = text.strip().encode("utf-8")
        limit = settings.PHISHING_EML_MAX_BYTES
        if len(data) > limit:
            raise forms.ValidationError(_("The pasted text is %(size)s; at most %(limit)s can be reported. Save the message as"
                                          " a file (.eml) and upload it instead, or paste only its headers.")
                                        % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)})
        try:
            return parsing.parse_eml(data)
        except parsing.NotAnEmail as error:
            raise forms.ValidationError(_("This text is not the header block of an e-mail: it needs at least a “From:” line"
                                          " with the sender's address and a “Subject:”, “Date:”, “To:”, “Message-ID:” or"
                                          " “Received:” line. Copy the headers from the beginning.")) from error

    def clean_links(self):
        links = []
        for line in self.cleaned_data.get("links", "").splitlines():
            if not line.strip():
                continue
            try:
                links.append(parsing.normalize_url(line))
            except parsing.NotAWebAddress as error:
                raise forms.ValidationError(_("“%(value)s” is not a web address. Only addresses that begin with http:// or"
                                              " https:// can be reported.") % {"value": line.strip()[:100]}) from error
        if len(links) > parsing.MAX_LINKS:
            raise forms.ValidationError(_("Report at most %(count)d links.") % {"count": parsing.MAX_LINKS})
        return links

    def clean_url(self):
        value = self.cleaned_data.get("url", "").strip()
        if not value:
            return ""
        try:
            return parsing.normalize_url(value)
        except parsing.NotAWebAddress as error:
            raise forms.ValidationError(_("Only addresses that begin with http:// or https:// can be reported.")) from error

    def clean_sender(self):
        value = self.cleaned_data.get("sender", "").strip()
        if value and not parsing.normalize_sender(value):
            raise forms.ValidationError(_("Enter the sender's e-mail address, e.g. service@bank.example."))
        return value

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("kind") == ReportKind.WEBSITE:
            if not cleaned.get("url"):
                self.add_error("url", _("Enter the address of the website."))
        elif cleaned.get("eml") and cleaned.get("source"):
            self.add_error("source", _("Either upload the file or paste its headers, not both."))
        elif not (cleaned.get("eml") or cleaned.get("source") or cleaned.get("sender") or cleaned.get("subject")
                  or cleaned.get("links")):
            self.add_error("eml", _("Choose the e-mail file, paste its headers, or type at least its sender, subject or a"
                                    " link."))
        return cleaned

    def content(self) -> ReportContent:
        cleaned = self.cleaned_data
        note = cleaned.get("note", "").strip()
        if cleaned["kind"] == ReportKind.WEBSITE:
            return ReportContent(kind=ReportKind.WEBSITE, links=(cleaned["url"],), note=note)
        if cleaned.get("eml"):
            mail, name = cleaned["eml"]
            return ReportContent(kind=ReportKind.EMAIL, sender=mail.sender, subject=mail.subject, links=tuple(mail.links),
                                 headers=mail.headers, file_name=name, note=note)
        if cleaned.get("source"):
            mail = cleaned["source"]
            return ReportContent(kind=ReportKind.EMAIL, sender=mail.sender, subject=mail.subject, links=tuple(mail.links),
                                 headers=mail.headers, note=note)
        return ReportContent(kind=ReportKind.EMAIL, sender=cleaned.get("sender", ""), subject=cleaned.get("subject", ""),
                             links=tuple(cleaned.get("links", [])), note=note)


class ClassificationForm(forms.Form):
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Message to every reporter"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Optional: what they should do now, e.g. delete the e-mail."))
