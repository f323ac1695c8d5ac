"""The outbox in the Wagtail admin: superusers see each mail's status, recipient, subject, tries and last error; nobody edits."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from post_office.models import STATUS, Email, Log
from wagtail.users.models import UserProfile

from tests.factories import UserFactory

OUTBOX = "/admin/outbox/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def failed_mail(db):
    mail = Email.objects.create(from_email="portal@musterstadt.example", to=["anna.schmidt@musterstadt.example"],
                                subject="Antrag KD-2027-000042 eingereicht", message="Text", status=STATUS.failed,
                                number_of_retries=10)
    Log.objects.create(email=mail, status=STATUS.failed, message="[Errno 111] Connection refused",
                       exception_type="ConnectionRefusedError")
    return mail


@pytest.fixture
def admin_client(db, client_for):
    admin = UserFactory(email="admin@musterstadt.example", is_staff=True, is_superuser=True, unit=None)
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    return client_for(admin)


def test_superusers_see_every_mail_with_its_last_error(admin_client, failed_mail):
    response = admin_client.get(OUTBOX)

    content = response.content.decode()
    assert response.status_code == 200
    for text in ("anna.schmidt@musterstadt.example", "Antrag KD-2027-000042 eingereicht", "given up",
                 "[Errno 111] Connection refused", "Failed tries"):
        assert text in content
    assert re.search(r"<td\s*>\s*10\s*</td>", content)
    assert admin_client.get(f"{OUTBOX}inspect/{failed_mail.pk}/").status_code == 200


def test_nobody_adds_changes_or_deletes_a_mail_in_the_admin(admin_client, failed_mail):
    assert admin_client.get(f"{OUTBOX}new/").status_code in (302, 403)
    assert admin_client.get(f"{OUTBOX}edit/{failed_mail.pk}/").status_code in (302, 403)
    assert admin_client.post(f"{OUTBOX}delete/{failed_mail.pk}/").status_code in (302, 403)
    assert Email.objects.filter(pk=failed_mail.pk).exists()
    assert "/outbox/new/" not in admin_client.get(OUTBOX).content.decode()


def test_editors_do_not_see_the_outbox_even_with_every_post_office_permission(editor, client_for, failed_mail):
    group = Group.objects.create(name="Outbox readers")
    group.permissions.set(Permission.objects.filter(content_type__app_label="post_office"))
    editor.groups.add(group)
    client = client_for(editor)

    assert client.get(OUTBOX).status_code in (302, 403)
    assert "anna.schmidt@musterstadt.example" not in client.get("/admin/").content.decode()
    assert 'href="/admin/outbox/"' not in client.get("/admin/").content.decode()
