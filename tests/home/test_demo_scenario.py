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

from home.demo import CANCELLATION_NOTE, TEAM_ABSENCE_NOTE
from portal.models import User
from services.delegation.models import Delegation
from services.leave.models import LeaveRequest
from services.models import RequestStatus, ServiceRequest
from services.permissions import requests_decidable_by
from tests.factories import logged_in_client


def login(email: str) -> Client:
    return logged_in_client(User.objects.get(email=email))


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_clara_decides_annas_leave_on_behalf_of_bernd_until_he_revokes(demo):
    clara, anna, bernd = (login(f"{name}@musterstadt.example") for name in ("clara.wolf", "anna.schmidt", "bernd.keller"))
    # Anna's pending leave that is in Clara's queue (another one still waits for its substitute, Clara herself).
    pending = requests_decidable_by(User.objects.get(email="clara.wolf@musterstadt.example")).filter(
        applicant__email="anna.schmidt@musterstadt.example", kind="leave", status=RequestStatus.SUBMITTED).order_by("pk").first()
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
    # Nothing left to decide (the page may still list leave waiting for Clara to confirm as substitute).
    assert not re.search(r'name="selected" value="KD-\d{4}-\d{6}"', queue_after)
    assert "There are no requests awaiting your decision." in queue_after


def test_clara_sees_the_team_absence_warning_on_annas_leave(demo):
    leave = LeaveRequest.objects.select_related("request").get(request__applicant__email="anna.schmidt@musterstadt.example",
                                                               note=TEAM_ABSENCE_NOTE)
    assert leave.request.status == RequestStatus.SUBMITTED
    page = login("clara.wolf@musterstadt.example").get(f"/en/requests/{leave.request.reference}/").content.decode()
    assert 'id="absence-warning"' in page and "of the unit would be absent" in page
    assert leave.start_date.strftime("%Y-%m-%d") in page


def test_annas_approved_leave_has_a_cancellation_waiting_in_claras_queue(demo):
    leave = LeaveRequest.objects.select_related("request").get(request__applicant__email="anna.schmidt@musterstadt.example",
                                                               note=CANCELLATION_NOTE)
    assert leave.request.status == RequestStatus.APPROVED
    cancellation = ServiceRequest.objects.get(kind="leave_cancellation", leave_cancellation__original=leave.request)
    assert cancellation.status == RequestStatus.SUBMITTED
    assert "waiting for a decision" in login("anna.schmidt@musterstadt.example").get(
        f"/en/requests/{leave.request.reference}/").content.decode()
    assert cancellation.reference in login("clara.wolf@musterstadt.example").get("/en/queue/").content.decode()


def test_clara_confirms_as_annas_substitute_and_the_request_reaches_the_queue(demo):
    clara = login("clara.wolf@musterstadt.example")
    waiting = ServiceRequest.objects.filter(applicant__email="anna.schmidt@musterstadt.example", kind="leave",
                                            status=RequestStatus.AWAITING_SUBSTITUTE,
                                            leave__substitute__email="clara.wolf@musterstadt.example").first()
    assert waiting is not None, "the demo has leave of Anna's waiting for Clara to confirm"
    to_decide = f'name="selected" value="{waiting.reference}"'
    queue = clara.get("/en/queue/").content.decode()
    assert to_decide not in queue and waiting.reference in queue  # listed to confirm, not to decide
    assert "Confirm: I will cover" in clara.get(f"/en/requests/{waiting.reference}/").content.decode()
    assert clara.post(f"/en/requests/{waiting.reference}/substitute/confirm/").status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.SUBMITTED
    assert to_decide in clara.get("/en/queue/").content.decode()


def test_bernd_opens_the_list_of_what_clara_decided_on_his_behalf(demo):
    """The delegation's other side: Bernd sees each decision Clara took in his name, and opens the request."""
    from services.models import RequestEvent

    bernd, clara = (User.objects.get(email=f"{name}@musterstadt.example") for name in ("bernd.keller", "clara.wolf"))
    on_his_behalf = RequestEvent.objects.filter(actor=clara, on_behalf_of=bernd)
    assert on_his_behalf.exists(), "the demo has Clara decide as Bernd's delegate"
    client = login("bernd.keller@musterstadt.example")

    queue = client.get("/en/queue/").content.decode()
    page = client.get(f"/en/queue/decided/?decided_by=person-{clara.pk}").content.decode()

    assert 'href="/en/queue/decided/"' in queue
    assert "Clara Wolf" in page and "on my behalf" in page
    for event in on_his_behalf.select_related("request"):
        assert event.request.reference in page
        assert client.get(f"/en/requests/{event.request.reference}/").status_code == 200
