"""Wagtail's user bar: shown to those who may use Wagtail's admin, to nobody else (asked in one query)."""

from django.contrib.auth.models import Permission


def test_an_editor_with_admin_access_sees_the_user_bar(editor, client_for, site):
    editor.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    assert "<wagtail-userbar" in client_for(editor).get("/").content.decode()


def test_staff_without_admin_access_and_anonymous_readers_see_no_user_bar(approver, client_for, client, site):
    assert "<wagtail-userbar" not in client_for(approver).get("/").content.decode()
    assert "<wagtail-userbar" not in client.get("/").content.decode()
