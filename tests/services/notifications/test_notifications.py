"""Notifications in the portal: created with the emails, listed, counted in the header, marked read."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from post_office.models import Email

from services import workflow
from services.kinds import registry
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from services.models import Notification
from services.notifications.messages import deliver_request_messages
from tests.factories import ServiceRequestFactory, UserFactory, leave_request, leave_type_record, next_monday

LEAVE = registry.get("leave")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def leave_details() -> LeaveRequest:
    start = next_monday()
    end = start + datetime.timedelta(days=4)
    return LeaveRequest(leave_type=leave_type_record(), start_date=start, end_date=end, working_days=count_days(start=start, end=end))


def submit(applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details())


def notify(recipient, *, read: bool = False, message: str = "Ihr Antrag", **fields) -> Notification:
    return Notification.objects.create(recipient=recipient, message=message, url=fields.pop("url", "/requests/"),
                                       read_at=timezone.now() if read else None, **fields)


# --- created by the workflow -----------------------------------------------------------------------


def test_applicant_is_not_notified_of_their_own_submission(applicant, mailoutbox, django_capture_on_commit_callbacks):
    submit(applicant, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(recipient=applicant).exists()
    assert not Email.objects.filter(to=[applicant.email]).exists()


def test_approver_is_notified_when_a_request_arrives(applicant, approver, django_capture_on_commit_callbacks):
    request = submit(applicant, django_capture_on_commit_callbacks)

    notification = Notification.objects.get(recipient=approver)
    assert notification.request == request
    assert notification.url.endswith(f"/requests/{request.reference}/")


def test_applicant_is_notified_of_the_decision(applicant, approver, django_capture_on_commit_callbacks):
    request = submit(applicant, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="approve")

    notification = Notification.objects.get(recipient=applicant, request=request)
    assert notification.read_at is None
    assert notification.url.endswith(f"/requests/{request.reference}/")
    assert Notification.objects.filter(recipient=approver).count() == 1


def test_notifications_and_mails_are_written_in_the_transaction_and_sent_only_after_it(
        applicant, approver, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details())

    assert callbacks  # the sender is woken once the transaction commits
    assert set(Notification.objects.values_list("recipient", flat=True)) == {approver.pk}
    assert list(Email.objects.values_list("to", flat=True)) == [[approver.email]]
    assert not mailoutbox
    assert request.reference


def test_a_worker_that_comes_after_the_decision_tells_the_approvers_nothing(
        applicant, approver, colleague, django_capture_on_commit_callbacks):
    """The arrival's message is rendered by the worker: if the request was decided in between, nobody is told
    that it waits, while the decision's own message still reaches the applicant."""
    request = submit(applicant, django_capture_on_commit_callbacks)
    workflow.request_decide(request=request, actor=approver, decision="approve")
    Notification.objects.all().delete()

    sent = deliver_request_messages.call(messages=[
        {"to": "approvers", "request": request.pk, "user_ids": [approver.pk, colleague.pk]},
        {"to": "applicant", "request": request.pk, "action": "approved"}])

    assert sent == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [applicant.pk]


def test_a_change_that_rolls_back_leaves_no_notification_and_no_mail(applicant, approver, monkeypatch):
    def fail_after_notifying(*args, **kwargs):
        raise RuntimeError("routing failed")

    monkeypatch.setattr(workflow, "_route_or_ask_substitute", fail_after_notifying)
    with pytest.raises(RuntimeError):
        workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details())

    assert not Notification.objects.exists()
    assert not Email.objects.exists()


# --- the list page ----------------------------------------------------------------------------------


def test_list_shows_own_notifications_newest_first_with_unread_marked(applicant, applicant_client, colleague):
    older = notify(applicant, message="Older and read", read=True, url="/requests/KD-1/")
    older.created_at = timezone.now() - datetime.timedelta(days=1)
    Notification.objects.filter(pk=older.pk).update(created_at=older.created_at)
    notify(applicant, message="Newer and unread", url="/requests/KD-2/")
    notify(colleague, message="Someone else's")

    response = applicant_client.get("/en/notifications/")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Newer and unread") < content.index("Older and read")
    assert "Someone else&#x27;s" not in content and "Someone else's" not in content
    assert 'href="/requests/KD-2/"' in content
    assert content.count("portal-notification--unread") == 1
    assert "no-store" in response["Cache-Control"]


def test_list_is_paginated_by_25(applicant, applicant_client):
    Notification.objects.bulk_create(Notification(recipient=applicant, message=f"Message {n}") for n in range(30))

    first = applicant_client.get("/en/notifications/")
    second = applicant_client.get("/en/notifications/?page=2")

    assert first.content.decode().count('class="portal-notification') == 25
    assert second.content.decode().count('class="portal-notification') == 5


def test_a_link_outside_the_portal_is_not_rendered(applicant, applicant_client):
    notify(applicant, message="Suspicious", url="//evil.example/phish")

    content = applicant_client.get("/en/notifications/").content.decode()

    assert "Suspicious" in content
    assert "evil.example" not in content


def test_list_requires_login(client, db):
    response = client.get("/en/notifications/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the header count -------------------------------------------------------------------------------


def test_header_shows_the_unread_count(applicant, applicant_client, colleague):
    notify(applicant)
    notify(applicant)
    notify(applicant, read=True)
    notify(colleague)

    content = applicant_client.get("/en/requests/").content.decode()

    assert "Notifications (2)" in content
    assert 'href="/en/notifications/"' in content


def test_header_counts_with_one_query(applicant, applicant_client):
    notify(applicant)
    with CaptureQueriesContext(connection) as context:
        applicant_client.get("/en/requests/")

    counts = [query["sql"] for query in context.captured_queries if "services_notification" in query["sql"]]
    assert len(counts) == 1
    assert "COUNT(" in counts[0].upper()


def test_pages_without_the_header_do_not_count(applicant, applicant_client):
    with CaptureQueriesContext(connection) as context:
        applicant_client.get("/en/requests/working-days/?start=2030-01-07&end=2030-01-11")

    assert not [query for query in context.captured_queries if "services_notification" in query["sql"]]


def test_visitors_see_no_count(client, site):
    content = client.get("/en/").content.decode()

    assert "Notifications (" not in content


# --- marking read -----------------------------------------------------------------------------------


def test_mark_all_read_marks_only_own(applicant, applicant_client, colleague):
    own = [notify(applicant), notify(applicant)]
    foreign = notify(colleague)

    response = applicant_client.post("/en/notifications/read/")

    assert response.status_code == 302
    assert all(Notification.objects.get(pk=item.pk).read_at is not None for item in own)
    assert Notification.objects.get(pk=foreign.pk).read_at is None
    assert "Notifications (0)" in applicant_client.get("/en/requests/").content.decode()


def test_mark_one_read_leaves_the_others_unread(applicant, applicant_client):
    first, second = notify(applicant), notify(applicant)

    applicant_client.post("/en/notifications/read/", {"id": first.pk})

    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Notification.objects.get(pk=second.pk).read_at is None


def test_someone_elses_id_changes_nothing(applicant, applicant_client, colleague):
    own = notify(applicant)
    foreign = notify(colleague)

    response = applicant_client.post("/en/notifications/read/", {"id": foreign.pk})

    assert response.status_code == 302
    assert Notification.objects.get(pk=foreign.pk).read_at is None
    assert Notification.objects.get(pk=own.pk).read_at is None


def test_a_malformed_id_changes_nothing(applicant, applicant_client):
    own = notify(applicant)

    applicant_client.post("/en/notifications/read/", {"id": "1 OR 1=1"})

    assert Notification.objects.get(pk=own.pk).read_at is None


def test_marking_read_needs_post(applicant, applicant_client):
    own = notify(applicant)

    response = applicant_client.get("/en/notifications/read/")

    assert response.status_code == 405
    assert Notification.objects.get(pk=own.pk).read_at is None


# --- the dashboard ----------------------------------------------------------------------------------


def test_dashboard_shows_the_queue_count_with_a_link(approver, client_for, site):
    applicant = UserFactory(unit=approver.unit)
    leave_request(applicant=applicant, unit=approver.unit, step_permission="decide_leave")
    leave_request(applicant=applicant, unit=approver.unit, step_permission="decide_leave")

    content = client_for(approver).get("/en/").content.decode()

    assert "2 requests are waiting for your decision." in content
    assert 'href="/en/queue/"' in content


def test_dashboard_shows_no_queue_for_people_without_one(applicant, applicant_client, site):
    ServiceRequestFactory(applicant=applicant, step_permission="decide_leave")

    content = applicant_client.get("/en/").content.decode()

    assert "waiting for your decision" not in content
    assert 'id="queue-title"' not in content


def test_delegate_is_told_by_email_and_in_the_portal_when_responsibility_is_delegated(
        approver, colleague, unit, mailoutbox, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from services.delegation import services as delegation_services
    from services.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        delegation = delegation_services.delegation_create(
            delegator=approver, delegate=colleague, unit=unit, codenames=["decide_leave"], reason="Urlaub",
            starts_at=timezone.now(), ends_at=timezone.now() + datetime.timedelta(days=7))

    mail = [message for message in mailoutbox if message.to == [colleague.email]]
    assert len(mail) == 1 and f" {delegation.pk})" in mail[0].body and "Keller" in mail[0].subject
    assert Notification.objects.filter(recipient=colleague, url__endswith="/delegations/").count() == 1
