"""The authentication backends: Django's and allauth's, loading a person's unit with the person.

Nearly every page a logged-in person opens asks for their unit (routing a request, the team, the queue's scope): read
in the same query as the person on each request, instead of a second one later.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class _UserWithUnit:
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("unit").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class PortalModelBackend(_UserWithUnit, ModelBackend):
    """Password login by username, as Django's own backend (the Wagtail admin and the tests use it)."""


class PortalAuthenticationBackend(_UserWithUnit, AllauthBackend):
    """allauth's login by e-mail address and the single sign-on."""
