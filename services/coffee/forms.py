from django import forms
from django.utils.translation import gettext_lazy as _

from services.coffee.services import MINUTES_CHOICES


class CoffeeForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label=_("For how long?"), coerce=int, initial=15, widget=forms.RadioSelect,
        choices=[(minutes, _("%(minutes)d minutes") % {"minutes": minutes}) for minutes in MINUTES_CHOICES])
