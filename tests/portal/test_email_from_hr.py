"""Staff cannot add, remove or change their login address: it comes from the HR import and names them everywhere."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import translation

from portal.models import User


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def test_the_email_page_explains_instead_of_offering_a_form(applicant_client, applicant):
    response = applicant_client.get("/en/accounts/email/")
    content = response.content.decode()
    assert response.status_code == 200
    assert applicant.email in content
    assert "personnel office" in content
    assert 'name="email"' not in content and "action_add" not in content
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("action", ["action_add", "action_primary", "action_remove", "action_send"])
def test_no_post_changes_the_address(applicant_client, applicant, action):
    response = applicant_client.post("/en/accounts/email/", {"email": "mallory@evil.example", action: ""})
    assert response.status_code == 405
    assert User.objects.get(pk=applicant.pk).email == "anna.schmidt@musterstadt.example"
    assert not EmailAddress.objects.filter(email="mallory@evil.example").exists()


def test_anonymous_visitors_are_sent_to_the_login_and_change_nothing(client, applicant):
    response = client.post("/en/accounts/email/", {"email": "mallory@evil.example", "action_add": ""})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not EmailAddress.objects.filter(email="mallory@evil.example").exists()
