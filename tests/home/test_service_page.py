import datetime

import pytest
from django.contrib.messages import get_messages

from services.models import EventAction, RequestStatus, ServiceRequest
from tests.factories import leave_type_record, next_monday


def leave_post(**overrides):
    start = next_monday()
    data = {
        "leave_type": leave_type_record("annual").pk,
        "start_date": start.isoformat(),
        "end_date": (start + datetime.timedelta(days=4)).isoformat(),
        "substitute": "",
        "note": "",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_service_page_requires_login(client, site):
    response = client.get(site["services"]["leave"].url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_service_page_is_never_cached(applicant_client, site):
    response = applicant_client.get(site["services"]["leave"].url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_leave_submission_creates_request_with_event(applicant, applicant_client, site, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(site["services"]["leave"].url, leave_post())
    request = ServiceRequest.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response["Location"] == f"/requests/{request.reference}/"
    assert request.status == RequestStatus.SUBMITTED
    assert request.leave.working_days == 5
    assert list(request.events.values_list("action", flat=True)) == [EventAction.SUBMITTED]
    # The page confirms the filing; no mail tells the applicant what they just did.
    assert not [mail for mail in mailoutbox if mail.to == [applicant.email]]
    confirmation = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(request.reference in message for message in confirmation)


@pytest.mark.parametrize("kind", ["remote_work", "vpn_access", "equipment_loan", "leave"])
def test_each_service_page_shows_its_form(applicant_client, site, kind):
    response = applicant_client.get(site["services"][kind].url)
    assert response.status_code == 200
    assert 'name="action" value="submit"' in response.content.decode()


def test_request_page_shows_confirmation_text_in_the_readers_language(applicant, applicant_client, site):
    from wagtail.models import Locale

    german = site["services"]["leave"]
    german.confirmation_text = "<p>Wir melden uns.</p>"
    german.save_revision().publish()
    english = german.copy_for_translation(Locale.objects.create(language_code="en"), copy_parents=True)
    english.confirmation_text = "<p>We will be in touch.</p>"
    english.save_revision().publish()
    applicant_client.post(german.url, leave_post())
    reference = ServiceRequest.objects.get(applicant=applicant).reference

    assert "Wir melden uns." in applicant_client.get(f"/requests/{reference}/").content.decode()
    assert "We will be in touch." in applicant_client.get(f"/en/requests/{reference}/").content.decode()


def test_confirmation_text_is_for_the_applicant_not_for_the_approver(applicant, approver, applicant_client, client_for, site):
    page = site["services"]["leave"]
    page.confirmation_text = "<p>Wir melden uns.</p>"
    page.save_revision().publish()
    applicant_client.post(page.url, leave_post())
    reference = ServiceRequest.objects.get(applicant=applicant).reference

    assert "Wir melden uns." in applicant_client.get(f"/requests/{reference}/").content.decode()
    assert "Wir melden uns." not in client_for(approver).get(f"/requests/{reference}/").content.decode()
