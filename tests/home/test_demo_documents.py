"""The demo after `make run`: Anna downloads the decision document of her approved leave and /verify/ confirms it."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from portal.models import User
from services.documents.models import DecisionDocument, DocumentStatus
from services.models import RequestStatus
from tests.factories import logged_in_client


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # the documents are issued when each decision commits
        call_command("seed_demo", stdout=io.StringIO())


def test_anna_downloads_her_leave_decision_and_verify_confirms_it(demo):
    anna = User.objects.get(email="anna.schmidt@musterstadt.example")
    document = DecisionDocument.objects.filter(request__applicant=anna, request__kind="leave",
                                               request__status=RequestStatus.APPROVED).first()
    assert document is not None and document.status == DocumentStatus.ISSUED
    client = logged_in_client(anna, mfa=False)
    page = client.get(f"/en/requests/{document.request.reference}/").content.decode()
    url = f"/en/requests/{document.request.reference}/documents/{document.pk}/"
    assert url.removeprefix("/en") in page or url in page
    content = b"".join(client.get(url).streaming_content)
    assert content.startswith(b"%PDF")
    confirmed = Client().post("/en/verify/", {"reference": document.request.reference, "code": document.verification_code})
    assert "The portal issued this decision." in confirmed.content.decode()
    seeded_again = DecisionDocument.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert DecisionDocument.objects.count() == seeded_again
