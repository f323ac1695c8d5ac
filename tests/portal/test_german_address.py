"""The portal addresses staff as "Sie"; allauth's German catalogue says "du" and is overridden where the portal shows it."""

import re

import pytest
from django.utils import translation

INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)

ALLAUTH_TEXTS_SHOWN = [
    "Please type your current password.",
    "Too many failed login attempts. Try again later.",
    "Be patient, you are sending too many requests.",
    "You must type the same password each time.",
    "You have signed out.",
    "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it.",
    "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if "
    "you do not receive it in a few minutes.",
    "Your password is now changed.",
    "Your password has been changed.",
    "You are already logged in as %(user_display)s.",
    "You are about to generate a new set of recovery codes for your account.",
    "You are about to deactivate authenticator app based authentication. Are you sure?",
    "In case you forgot, your username is %(username)s.",
]


@pytest.mark.parametrize("text", ALLAUTH_TEXTS_SHOWN)
def test_allauths_texts_say_sie(text):
    with translation.override("de"):
        german = translation.gettext(text)
    assert german != text, "translated"
    assert not INFORMAL.search(german), german

