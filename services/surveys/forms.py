"""The answer form of a round: one 1–5 choice per category, and the free text when the survey asks for it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from services.surveys.models import SCALE_MAX, SCALE_MIN, Survey
from services.surveys.services import FREE_TEXT_MAX_CHARS

SCALE_LABELS = {1: _("1 – very poor"), 2: _("2 – poor"), 3: _("3 – fair"), 4: _("4 – good"), 5: _("5 – very good")}


class SurveyAnswerForm(forms.Form):
    def __init__(self, *args, survey: Survey, k: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(survey.categories.all())
        choices = [(value, SCALE_LABELS[value]) for value in range(SCALE_MIN, SCALE_MAX + 1)]
        for category in self.categories:
            self.fields[f"category_{category.pk}"] = forms.TypedChoiceField(
                label=category.question or category.name, choices=choices, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Please choose a value from 1 to 5.")})
        if survey.free_text_question:
            self.fields["free_text"] = forms.CharField(
                label=survey.free_text_question, required=False, max_length=FREE_TEXT_MAX_CHARS, widget=forms.Textarea,
                help_text=_("Optional. Please name no people. A handler removes anything that could identify someone "
                            "before result readers see it, and only for groups of at least %(k)s people.") % {"k": k})

    def scores(self) -> dict[int, int]:
        return {category.pk: self.cleaned_data[f"category_{category.pk}"] for category in self.categories}


class FreeTextRedactionForm(forms.Form):
    text = forms.CharField(label=_("Text as released"), required=False, max_length=FREE_TEXT_MAX_CHARS, widget=forms.Textarea,
                           help_text=_("Remove names, places, dates and anything else that could identify a person."))
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("release", _("Release as redacted")), ("withhold", _("Withhold"))])
