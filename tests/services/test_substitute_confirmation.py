"""The named substitute confirms a leave request before it reaches the approvers (per type of leave).

Anna names Clara as substitute; for annual leave and flexitime days Clara is asked first. Bernd
(who holds leave decisions for the unit) sees nothing until Clara confirms; a refusal goes back to
Anna with Clara's reason.
"""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from post_office.models import STATUS, Email

from services import permissions, selectors, workflow
from services.kinds import registry
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from services.models import EventAction, Notification, RequestStatus, ServiceRequest
from tests.factories import UserFactory, leave_type_record, next_monday

LEAVE = registry.get("leave")


@pytest.fixture(autouse=True)
def english():
    """Messages are matched by a key word of their English source text."""
    with translation.override("en"):
        yield


def leave_details(*, substitute=None, leave_type: str = "annual", start: datetime.date | None = None) -> LeaveRequest:
    start = start or next_monday()
    end = start + datetime.timedelta(days=4)
    return LeaveRequest(leave_type=leave_type_record(leave_type), start_date=start, end_date=end, substitute=substitute,
                        working_days=count_days(start=start, end=end))


def submit(applicant, substitute, leave_type: str = "annual") -> ServiceRequest:
    return workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details(substitute=substitute, leave_type=leave_type))


def actions(request: ServiceRequest) -> list[str]:
    return list(request.events.order_by("created_at", "pk").values_list("action", flat=True))


@pytest.fixture
def waiting(applicant, colleague, approver, django_capture_on_commit_callbacks) -> ServiceRequest:
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(applicant, colleague)
    request.refresh_from_db()
    return request


def test_the_seeded_types_ask_the_substitute_for_annual_leave_and_flexitime_only(db):
    assert {code: leave_type_record(code).substitute_must_confirm for code in ("annual", "flexitime", "special", "occasion")} == {
        "annual": True, "flexitime": True, "special": False, "occasion": False}


def test_waiting_request_is_in_nobodys_queue_and_only_the_substitute_is_asked(waiting, applicant, colleague, approver):
    assert (waiting.status, waiting.current_step, waiting.step_permission) == (RequestStatus.AWAITING_SUBSTITUTE, 0, "")
    assert not permissions.requests_decidable_by(approver).filter(pk=waiting.pk).exists()
    assert not selectors.queue_for(approver).exists()
    assert permissions.decision_authority(approver, waiting) is None
    assert permissions.entitled_users(waiting) == []
    assert [message.to for message in mail.outbox] == [[colleague.email]]  # the applicant's page confirms the filing
    assert waiting.reference in mail.outbox[0].subject and f"/requests/{waiting.reference}/" in mail.outbox[0].body
    assert Notification.objects.filter(recipient=colleague, request=waiting).exists()
    assert not Notification.objects.filter(recipient=approver).exists()


def test_the_substitute_sees_only_requests_waiting_for_them(waiting, applicant, colleague, approver):
    assert permissions.get_request_for_user_or_404(colleague, waiting.reference) == waiting
    bystander = UserFactory(unit=applicant.unit)
    assert not permissions.requests_visible_to(bystander).filter(pk=waiting.pk).exists()
    other = submit(applicant, bystander, leave_type="special")  # no confirmation asked for special leave
    assert not permissions.requests_visible_to(bystander).filter(pk=other.pk).exists()


def test_confirmation_sends_the_request_to_the_approvers(waiting, applicant, colleague, approver,
                                                        django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_substitute_confirm(request=waiting, actor=colleague)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.current_step, waiting.step_permission) == (RequestStatus.SUBMITTED, 1, "decide_leave")
    assert list(selectors.queue_for(approver)) == [waiting]
    assert {tuple(message.to) for message in mail.outbox} == {(applicant.email,), (approver.email,)}
    workflow.request_decide(request=waiting, actor=approver, decision="approve")
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.APPROVED


def test_decline_goes_back_to_the_applicant_with_the_reason_and_no_approver_hears_of_it(
        waiting, applicant, colleague, approver, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_substitute_decline(request=waiting, actor=colleague, comment="In der Woche habe ich Fortbildung.")
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.CHANGES_REQUESTED
    assert not selectors.queue_for(approver).exists()
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    assert "In der Woche habe ich Fortbildung." in mail.outbox[0].body
    with translation.override(applicant.preferred_language or settings.LANGUAGE_CODE):  # the applicant's language
        assert str(EventAction.SUBSTITUTE_DECLINED.label) in mail.outbox[0].subject
    assert not Notification.objects.filter(recipient=approver).exists()
    assert permissions.user_can_edit(applicant, waiting)


def test_decline_needs_a_reason(waiting, colleague):
    with pytest.raises(workflow.TransitionNotAllowed, match="reason"):
        workflow.request_substitute_decline(request=waiting, actor=colleague, comment="  ")
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.AWAITING_SUBSTITUTE


def test_resubmission_with_another_substitute_asks_the_new_one(waiting, applicant, colleague, approver,
                                                                django_capture_on_commit_callbacks):
    workflow.request_substitute_decline(request=waiting, actor=colleague, comment="Fortbildung.")
    other = UserFactory(unit=applicant.unit)
    details = LeaveRequest.objects.get(request=waiting)
    details.substitute = other
    Email.objects.update(status=STATUS.sent)  # the decline's mails went out when it committed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_resubmit(request=waiting, actor=applicant, details=details)
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.AWAITING_SUBSTITUTE
    assert [message.to for message in mail.outbox] == [[other.email]]
    with pytest.raises(workflow.TransitionNotAllowed, match="Only the substitute named"):
        workflow.request_substitute_confirm(request=waiting, actor=colleague)
    workflow.request_substitute_confirm(request=waiting, actor=other)
    assert list(selectors.queue_for(approver)) == [waiting]


def test_a_type_without_confirmation_routes_directly(applicant, colleague, approver):
    request = submit(applicant, colleague, leave_type="special")
    assert (request.status, request.current_step) == (RequestStatus.SUBMITTED, 1)
    assert list(selectors.queue_for(approver)) == [request]
    assert EventAction.SUBSTITUTE_ASKED not in actions(request)


def test_without_a_substitute_annual_leave_routes_directly(applicant, approver):
    request = submit(applicant, None)
    assert request.status == RequestStatus.SUBMITTED
    assert list(selectors.queue_for(approver)) == [request]


def test_only_the_named_substitute_may_answer(waiting, applicant, approver):
    with pytest.raises(workflow.TransitionNotAllowed, match="confirm this themselves"):
        workflow.request_substitute_confirm(request=waiting, actor=applicant)
    for person in (approver, UserFactory(unit=applicant.unit)):
        with pytest.raises(workflow.TransitionNotAllowed, match="Only the substitute named"):
            workflow.request_substitute_confirm(request=waiting, actor=person)
        with pytest.raises(workflow.TransitionNotAllowed, match="Only the substitute named"):
            workflow.request_substitute_decline(request=waiting, actor=person, comment="Nein.")
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.AWAITING_SUBSTITUTE
    assert actions(waiting) == [EventAction.SUBMITTED, EventAction.SUBSTITUTE_ASKED]


def test_a_replayed_confirmation_is_refused(waiting, colleague, approver):
    workflow.request_substitute_confirm(request=waiting, actor=colleague)
    with pytest.raises(workflow.TransitionNotAllowed, match="no longer waits"):
        workflow.request_substitute_confirm(request=waiting, actor=colleague)
    with pytest.raises(workflow.TransitionNotAllowed, match="no longer waits"):
        workflow.request_substitute_decline(request=waiting, actor=colleague, comment="Doch nicht.")
    assert actions(waiting).count(EventAction.SUBSTITUTE_CONFIRMED) == 1


def test_withdrawal_while_waiting_ends_the_question(waiting, applicant, colleague):
    assert permissions.user_can_withdraw(applicant, waiting)
    workflow.request_withdraw(request=waiting, actor=applicant, comment="Doch nicht.")
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.WITHDRAWN
    with pytest.raises(workflow.TransitionNotAllowed, match="no longer waits"):
        workflow.request_substitute_confirm(request=waiting, actor=colleague)
    assert not permissions.requests_awaiting_confirmation_by(colleague).exists()


# --- Views ---------------------------------------------------------------------------------------------


def test_the_substitute_gets_the_buttons_and_confirms(waiting, colleague, approver, client_for):
    client = client_for(colleague)
    page = client.get(f"/en/requests/{waiting.reference}/").content.decode()
    assert "Confirm: I will cover" in page and "substitute/decline/" in page
    response = client.post(f"/en/requests/{waiting.reference}/substitute/confirm/", follow=True)
    assert response.status_code == 200
    assert "now goes to the approvers" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.SUBMITTED
    assert "Confirm: I will cover" not in client.get(f"/en/requests/{waiting.reference}/").content.decode()


def test_the_applicant_sees_the_wait_but_no_buttons_and_cannot_confirm(waiting, applicant_client):
    page = applicant_client.get(f"/en/requests/{waiting.reference}/").content.decode()
    assert "Waiting for the substitute" in page and "Confirm: I will cover" not in page
    response = applicant_client.post(f"/en/requests/{waiting.reference}/substitute/confirm/", follow=True)
    assert "confirm this themselves" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.AWAITING_SUBSTITUTE


def test_people_who_cannot_see_the_request_get_404(waiting, applicant, approver, client_for):
    for person in (approver, UserFactory(unit=applicant.unit)):
        client = client_for(person)
        assert client.get(f"/en/requests/{waiting.reference}/").status_code == 404
        assert client.post(f"/en/requests/{waiting.reference}/substitute/confirm/").status_code == 404
        assert client.post(f"/en/requests/{waiting.reference}/substitute/decline/", {"comment": "Nein."}).status_code == 404


def test_declining_without_a_reason_in_the_view_is_refused(waiting, colleague, client_for):
    response = client_for(colleague).post(f"/en/requests/{waiting.reference}/substitute/decline/", {"comment": ""}, follow=True)
    assert "Give a reason" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.AWAITING_SUBSTITUTE


def test_the_timeline_shows_each_step(waiting, applicant, colleague, approver, applicant_client):
    workflow.request_substitute_decline(request=waiting, actor=colleague, comment="Fortbildung in der Woche.")
    details = LeaveRequest.objects.get(request=waiting)
    workflow.request_resubmit(request=waiting, actor=applicant, details=details, comment="Clara fragt noch einmal.")
    workflow.request_substitute_confirm(request=waiting, actor=colleague)
    assert actions(waiting) == [
        EventAction.SUBMITTED, EventAction.SUBSTITUTE_ASKED, EventAction.SUBSTITUTE_DECLINED, EventAction.RESUBMITTED,
        EventAction.SUBSTITUTE_ASKED, EventAction.SUBSTITUTE_CONFIRMED]
    declined = waiting.events.get(action=EventAction.SUBSTITUTE_DECLINED)
    assert (declined.from_status, declined.to_status, declined.actor) == (
        RequestStatus.AWAITING_SUBSTITUTE, RequestStatus.CHANGES_REQUESTED, colleague)
    page = applicant_client.get(f"/en/requests/{waiting.reference}/").content.decode()
    for label in ("Substitute asked to confirm", "Substitute declined", "Fortbildung in der Woche.", "Substitute confirmed"):
        assert label in page


def test_the_substitutes_queue_page_lists_what_waits_for_their_confirmation(waiting, colleague, approver, client_for):
    page = client_for(colleague).get("/en/queue/").content.decode()
    assert "waiting for you to confirm as substitute" in page and waiting.reference in page
    assert waiting.reference not in client_for(approver).get("/en/queue/").content.decode()
