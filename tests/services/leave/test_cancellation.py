"""Cancelling approved leave: a cancellation request decided by the leave's approvers."""

import datetime

import pytest
from django.utils import timezone

from services import permissions, workflow
from services.leave import cancellation as leave_cancellation
from services.leave.models import LeaveRequest
from services.models import EventAction, RequestEvent, RequestStatus, ServiceRequest
from tests.factories import leave_request, make_holder, next_monday


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched by a key word of their English source text."""
    from django.utils import translation

    with translation.override("en"):
        yield


def approved_leave(applicant, *, start: datetime.date | None = None, days: int = 5, **fields) -> ServiceRequest:
    request = leave_request(applicant=applicant, status=RequestStatus.APPROVED, start=start or next_monday(), days=days)
    if fields:
        LeaveRequest.objects.filter(request=request).update(**fields)
    return request


def state(request: ServiceRequest) -> tuple:
    """Everything a refused cancellation must leave as it was."""
    fresh = ServiceRequest.objects.get(pk=request.pk)
    leave = LeaveRequest.objects.get(request=fresh)
    return (fresh.status, leave.start_date, leave.end_date, leave.working_days, fresh.events.count(),
            ServiceRequest.objects.count(), RequestEvent.objects.count())


def actions(request: ServiceRequest) -> list[str]:
    return list(request.events.order_by("created_at", "pk").values_list("action", flat=True))


# --- Through the approver -------------------------------------------------------------------------------


def test_whole_cancellation_goes_to_the_approver_and_cancels_the_leave_once_approved(applicant, approver):
    leave = approved_leave(applicant)

    cancellation = leave_cancellation.request_cancel(request=leave, actor=applicant, comment="Termin verschoben")

    assert cancellation.kind == "leave_cancellation" and cancellation.status == RequestStatus.SUBMITTED
    assert cancellation.step_permission == "decide_leave"
    assert permissions.requests_decidable_by(approver).filter(pk=cancellation.pk).exists()
    leave.refresh_from_db()
    assert leave.status == RequestStatus.APPROVED  # until the approver decides
    assert actions(leave) == [EventAction.CANCELLATION_REQUESTED]

    workflow.request_decide(request=cancellation, actor=approver, decision="approve")

    leave.refresh_from_db()
    cancellation.refresh_from_db()
    assert cancellation.status == RequestStatus.APPROVED
    assert leave.status == RequestStatus.CANCELLED
    last = leave.events.order_by("-pk").first()
    assert (last.action, last.actor, last.from_status, last.to_status) == (
        EventAction.CANCELLED, approver, RequestStatus.APPROVED, RequestStatus.CANCELLED)
    assert cancellation.reference in last.comment


def test_shortening_ends_the_leave_the_day_before_and_recounts_working_days(applicant, approver):
    monday = next_monday()
    leave = approved_leave(applicant, start=monday, days=5, half_day_end=True)

    cancellation = leave_cancellation.request_cancel(request=leave, actor=applicant, from_date=monday + datetime.timedelta(days=2))
    workflow.request_decide(request=cancellation, actor=approver, decision="approve")

    leave.refresh_from_db()
    details = LeaveRequest.objects.get(request=leave)
    assert leave.status == RequestStatus.APPROVED
    assert details.end_date == monday + datetime.timedelta(days=1)
    assert details.half_day_end is False
    assert details.working_days == 2
    assert actions(leave)[-1] == EventAction.SHORTENED


def test_leave_that_has_begun_can_be_shortened_from_tomorrow(applicant, approver):
    today = timezone.localdate()
    leave = approved_leave(applicant, start=today - datetime.timedelta(days=3), days=14)

    cancellation = leave_cancellation.request_cancel(request=leave, actor=applicant, from_date=today + datetime.timedelta(days=1))
    workflow.request_decide(request=cancellation, actor=approver, decision="approve")

    assert LeaveRequest.objects.get(request=leave).end_date == today


def test_rejected_cancellation_leaves_the_leave_approved_and_says_so(applicant, approver):
    leave = approved_leave(applicant)
    cancellation = leave_cancellation.request_cancel(request=leave, actor=applicant)

    workflow.request_decide(request=cancellation, actor=approver, decision="reject", comment="Zu kurzfristig.")

    leave.refresh_from_db()
    assert leave.status == RequestStatus.APPROVED
    last = leave.events.order_by("-pk").first()
    assert last.action == EventAction.CANCELLATION_REFUSED and "Zu kurzfristig." in last.comment


def test_withdrawn_cancellation_leaves_the_leave_approved(applicant):
    leave = approved_leave(applicant)
    cancellation = leave_cancellation.request_cancel(request=leave, actor=applicant)

    workflow.request_withdraw(request=cancellation, actor=applicant)

    leave.refresh_from_db()
    assert leave.status == RequestStatus.APPROVED
    assert actions(leave)[-1] == EventAction.CANCELLATION_WITHDRAWN
    # and a new cancellation may be asked for
    assert leave_cancellation.request_cancel(request=leave, actor=applicant).status == RequestStatus.SUBMITTED


def test_approving_a_cancellation_of_leave_no_longer_approved_is_refused_and_changes_nothing(applicant, approver):
    leave = approved_leave(applicant)
    cancellation = leave_cancellation.request_cancel(request=leave, actor=applicant)
    ServiceRequest.objects.filter(pk=leave.pk).update(status=RequestStatus.CANCELLED)

    with pytest.raises(workflow.TransitionNotAllowed, match="no longer approved"):
        workflow.request_decide(request=cancellation, actor=approver, decision="approve")

    cancellation.refresh_from_db()
    assert cancellation.status == RequestStatus.SUBMITTED
    assert not cancellation.events.filter(action=EventAction.APPROVED).exists()


# --- Refused, and nothing changes ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [RequestStatus.SUBMITTED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN, RequestStatus.CANCELLED])
def test_only_approved_leave_can_be_cancelled(applicant, status):
    leave = leave_request(applicant=applicant, status=status)
    before = state(leave)

    with pytest.raises(workflow.TransitionNotAllowed, match="Only approved leave"):
        leave_cancellation.request_cancel(request=leave, actor=applicant)

    assert state(leave) == before


@pytest.mark.parametrize("from_offset", [None, 0, -1])
def test_leave_that_has_begun_cannot_be_cancelled_whole_or_from_today_or_a_past_day(applicant, from_offset):
    today = timezone.localdate()
    leave = approved_leave(applicant, start=today - datetime.timedelta(days=2), days=10)
    before = state(leave)
    from_date = None if from_offset is None else today + datetime.timedelta(days=from_offset)

    with pytest.raises(workflow.TransitionNotAllowed):
        leave_cancellation.request_cancel(request=leave, actor=applicant, from_date=from_date)

    assert state(leave) == before


def test_shortening_from_a_day_after_the_leave_is_refused(applicant):
    leave = approved_leave(applicant, days=5)
    details = LeaveRequest.objects.get(request=leave)
    before = state(leave)

    with pytest.raises(workflow.TransitionNotAllowed, match="shortens nothing"):
        leave_cancellation.request_cancel(request=leave, actor=applicant, from_date=details.end_date + datetime.timedelta(days=1))

    assert state(leave) == before


def test_a_second_pending_cancellation_is_refused(applicant):
    leave = approved_leave(applicant)
    first = leave_cancellation.request_cancel(request=leave, actor=applicant)
    before = state(leave)

    with pytest.raises(workflow.TransitionNotAllowed, match=first.reference):
        leave_cancellation.request_cancel(request=leave, actor=applicant, from_date=next_monday() + datetime.timedelta(days=1))

    assert state(leave) == before


def test_only_the_applicant_may_ask_to_cancel(applicant, approver, colleague):
    leave = approved_leave(applicant)
    before = state(leave)

    for other in (approver, colleague):
        with pytest.raises(workflow.TransitionNotAllowed, match="Only the applicant"):
            leave_cancellation.request_cancel(request=leave, actor=other)

    assert state(leave) == before


def test_approver_cannot_decide_the_cancellation_of_own_leave(unit, approver):
    leave = approved_leave(approver)
    other_holder = make_holder(unit)
    cancellation = leave_cancellation.request_cancel(request=leave, actor=approver)

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_decide(request=cancellation, actor=approver, decision="approve")
    workflow.request_decide(request=cancellation, actor=other_holder, decision="approve")

    leave.refresh_from_db()
    assert leave.status == RequestStatus.CANCELLED


# --- Pages ------------------------------------------------------------------------------------------------------


def test_cancel_button_only_for_the_applicant_of_approved_leave(applicant, approver, applicant_client, client_for, site):
    leave = approved_leave(applicant)
    pending = leave_request(applicant=applicant, status=RequestStatus.SUBMITTED)
    cancel_url = f"/requests/{leave.reference}/cancel/"

    assert cancel_url in applicant_client.get(f"/en/requests/{leave.reference}/").content.decode()
    assert f"/requests/{pending.reference}/cancel/" not in applicant_client.get(f"/en/requests/{pending.reference}/").content.decode()
    leave_cancellation.request_cancel(request=leave, actor=applicant)
    page = applicant_client.get(f"/en/requests/{leave.reference}/").content.decode()
    assert cancel_url not in page and "waiting for a decision" in page


def test_cancelling_through_the_pages_and_deciding_in_the_queue(applicant, approver, applicant_client, client_for, site):
    monday = next_monday()
    leave = approved_leave(applicant, start=monday)

    form = applicant_client.get(f"/en/requests/{leave.reference}/cancel/")
    response = applicant_client.post(f"/en/requests/{leave.reference}/cancel/", {
        "extent": "from_date", "from_date": (monday + datetime.timedelta(days=3)).isoformat(), "reason": "Projekt"})

    assert form.status_code == 200 and 'name="extent"' in form.content.decode()
    cancellation = ServiceRequest.objects.get(kind="leave_cancellation")
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{cancellation.reference}/")
    approver_client = client_for(approver)
    queue = approver_client.get("/en/queue/").content.decode()
    assert cancellation.reference in queue and f"Shorten leave {leave.reference}" in queue
    decide = approver_client.post(f"/en/requests/{cancellation.reference}/decide/", {
        "decision": "approve", "expected_step": "1", "comment": ""})
    assert decide.status_code == 302
    assert LeaveRequest.objects.get(request=leave).end_date == monday + datetime.timedelta(days=2)
    timeline = applicant_client.get(f"/en/requests/{leave.reference}/").content.decode()
    assert "Shortened" in timeline and "Cancellation requested" in timeline


def test_the_form_refuses_a_past_day_without_filing_anything(applicant, applicant_client, site):
    today = timezone.localdate()
    leave = approved_leave(applicant, start=today - datetime.timedelta(days=1), days=10)

    response = applicant_client.post(f"/en/requests/{leave.reference}/cancel/", {"extent": "from_date", "from_date": today.isoformat()})

    assert response.status_code == 200
    assert "from a future day" in response.content.decode()
    assert not ServiceRequest.objects.filter(kind="leave_cancellation").exists()


def test_the_cancel_page_is_not_for_anyone_else(applicant, colleague, approver, client_for, client, site):
    leave = approved_leave(applicant)
    url = f"/requests/{leave.reference}/cancel/"

    assert client.get(url).status_code == 302 and "/accounts/login/" in client.get(url)["Location"]
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(colleague).post(url, {"extent": "whole"}).status_code == 404
    assert not ServiceRequest.objects.filter(kind="leave_cancellation").exists()


def test_cancellation_kind_is_not_offered_as_a_service():
    from services.kinds import registry

    assert registry.get("leave_cancellation") is not None
    assert "leave_cancellation" not in {kind.slug for kind in registry}
    assert "leave_cancellation" not in dict(registry.choices())


def test_cancellation_sent_back_for_changes_can_be_changed_and_resubmitted(applicant, approver, applicant_client, site):
    monday = next_monday()
    leave = approved_leave(applicant, start=monday)
    cancellation = leave_cancellation.request_cancel(request=leave, actor=applicant)
    workflow.request_decide(request=cancellation, actor=approver, decision="request_changes", comment="Nur kürzen, bitte.")

    edit = applicant_client.get(f"/en/requests/{cancellation.reference}/edit/")
    response = applicant_client.post(f"/en/requests/{cancellation.reference}/edit/", {
        "extent": "from_date", "from_date": (monday + datetime.timedelta(days=1)).isoformat(), "reason": "", "action": "submit"})

    assert edit.status_code == 200
    assert response.status_code == 302
    cancellation.refresh_from_db()
    assert cancellation.status == RequestStatus.SUBMITTED
    assert cancellation.leave_cancellation.from_date == monday + datetime.timedelta(days=1)
    workflow.request_decide(request=cancellation, actor=approver, decision="approve")
    assert LeaveRequest.objects.get(request=leave).end_date == monday
