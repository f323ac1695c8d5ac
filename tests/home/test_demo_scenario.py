"""The delegation story of the demo, as a person walks it after `make run`.

Clara Wolf finds Anna Schmidt's leave request in her queue and approves it on behalf of Bernd
Keller; Anna's history says so; Bernd revokes the delegation and Clara's queue is empty on her next
page load.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from portal.models import User
from services.models import Delegation, RequestStatus, ServiceRequest


def login(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_clara_decides_annas_leave_on_behalf_of_bernd_until_he_revokes(demo):
    clara, anna, bernd = (login(f"{name}@musterstadt.example") for name in ("clara.wolf", "anna.schmidt", "bernd.keller"))
    pending = ServiceRequest.objects.filter(
        applicant__email="anna.schmidt@musterstadt.example", kind="leave", status__in=[RequestStatus.SUBMITTED]).first()
    assert pending is not None, "the demo has a pending leave request of Anna's"

    queue = clara.get("/en/queue/").content.decode()
    assert pending.reference in queue
    response = clara.post(f"/en/requests/{pending.reference}/decide/",
                          {"decision": "approve", "comment": "Gute Erholung!", "expected_step": pending.current_step},
                          follow=True)
    assert response.redirect_chain and response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == RequestStatus.APPROVED

    delegation = Delegation.objects.get(delegator__email="bernd.keller@musterstadt.example",
                                        delegate__email="clara.wolf@musterstadt.example")
    timeline = anna.get(f"/en/requests/{pending.reference}/").content.decode()
    assert re.search(rf"Clara Wolf\s+on behalf of\s+Bernd Keller\s+\(delegation #{delegation.pk}\)", timeline)

    assert bernd.post(f"/en/delegations/{delegation.pk}/revoke/").status_code == 302
    queue_after = clara.get("/en/queue/").content.decode()
    assert not re.search(r"KD-\d{4}-\d{6}", queue_after)
