"""services.permissions.holds_model_permission: Django's `has_perm` without an object, in one query."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from portal.models import User
from services.permissions import holds_model_permission
from tests.factories import UserFactory


@pytest.mark.django_db
def test_holds_model_permission_answers_as_has_perm():
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors = Group.objects.create(name="Redaktion (test)")
    editors.permissions.add(access)
    personally, through_group, without = UserFactory(), UserFactory(), UserFactory()
    inactive, superuser = UserFactory(is_active=False), UserFactory(is_superuser=True)
    personally.user_permissions.add(access)
    through_group.groups.add(editors)
    inactive.user_permissions.add(access)
    for user in (personally, through_group, without, inactive, superuser):
        user = User.objects.get(pk=user.pk)
        assert holds_model_permission(user, "wagtailadmin.access_admin") == user.has_perm("wagtailadmin.access_admin")
    assert [holds_model_permission(user, "wagtailadmin.access_admin") for user in (personally, through_group, without)] == [
        True, True, False]
    assert not holds_model_permission(AnonymousUser(), "wagtailadmin.access_admin")
