"""The two ways to check a decision document at /verify/: reference and code, or the PDF itself."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from services.documents.services import verification_code_normalise


class VerifyByCodeForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=20, help_text=_("As printed on the document, e.g. KD-2027-000042."))
    code = forms.CharField(label=_("Verification code"), max_length=20,
                           help_text=_("The twelve characters beside the QR code, e.g. ABCD-EFGH-JKMN."))

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()

    def clean_code(self) -> str:
        return verification_code_normalise(self.cleaned_data["code"])


class VerifyByUploadForm(forms.Form):
    document = forms.FileField(label=_("The PDF you received"), help_text=_("It is only compared, never kept."))

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > settings.VERIFY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("This file is larger than any document the portal issues."))
        return document
