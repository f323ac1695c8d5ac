"""The Kummerkasten's forms: writing, reading with the receipt code, replying, answering."""

import secrets

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from services.kummerkasten.models import KummerkastenTopic
from services.kummerkasten.selectors import topics_offered


def _text_field(label) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=settings.KUMMERKASTEN_MAX_CHARS, strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At most %(limit)s characters. Leave out names and details that would identify you, if you want to stay"
                    " anonymous.") % {"limit": settings.KUMMERKASTEN_MAX_CHARS},
        error_messages={"required": _("Please write your message.")},
    )


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KummerkastenTopic) -> str:
        return str(obj)


class MessageForm(forms.Form):
    """A new message. `once` is a random token of this form, so that reloading the receipt page sends nothing twice."""

    action = forms.CharField(widget=forms.HiddenInput, initial="write")
    once = forms.CharField(widget=forms.HiddenInput, max_length=64)
    topic = TopicChoiceField(label=_("Topic"), queryset=KummerkastenTopic.objects.none(), empty_label=None,
                             widget=forms.RadioSelect, error_messages={"required": _("Please choose a topic.")})
    text = _text_field(_("Your message"))
    attachment = forms.FileField(
        label=_("Attachment"), required=False,
        help_text=_("A JPEG or PNG image or a PDF document. Its metadata (author, camera, location, dates) is removed before"
                    " it is stored; files where that cannot be done are refused."))
    send_anyway = forms.BooleanField(label=_("Send it to the Kummerkasten all the same"), required=False,
                                     widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics_offered()
        if not self.is_bound:
            self.initial["once"] = secrets.token_urlsafe(24)

    def offer_send_anyway(self) -> None:
        self.fields["send_anyway"].widget = forms.CheckboxInput()


class CodeForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="read")
    code = forms.CharField(label=_("Receipt code"), max_length=40, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
                           help_text=_("The code you were shown when you sent your message, e.g. ABCD-EFGH-JKMN-PQRS-TWXY."),
                           error_messages={"required": _("Please enter your receipt code.")})


class ReplyForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="reply")
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    text = _text_field(_("Your reply"))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=settings.KUMMERKASTEN_MAX_CHARS, strip=True,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("The writer reads it with their receipt code. It is signed by the Kummerkasten team, not by you."),
                           error_messages={"required": _("Please write your answer.")})
