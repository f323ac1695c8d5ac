"""What notifications say: the kind and what happened, who decided and why, in the recipient's language, with a link
to the page in that language on the portal's base URL."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from post_office.models import Email

from services import workflow
from services.delegation.services import delegation_create
from services.kinds import registry
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from services.models import Notification
from services.notifications.messages import deliver
from tests.factories import UserFactory, leave_type_record, next_monday

LEAVE = registry.get("leave")
BASE_URL = "https://portal.musterstadt.example"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


def leave_details() -> LeaveRequest:
    start = next_monday()
    end = start + datetime.timedelta(days=4)
    return LeaveRequest(leave_type=leave_type_record(), start_date=start, end_date=end, working_days=count_days(start=start, end=end))


def submitted(applicant, callbacks):
    with callbacks(execute=True):
        return workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details())


def mail_to(user) -> Email:
    return Email.objects.filter(to=[user.email]).latest("pk")


def test_rejection_names_kind_outcome_decider_and_reason_in_english(applicant, approver,
                                                                   django_capture_on_commit_callbacks):
    applicant.preferred_language = "en"
    applicant.save(update_fields=["preferred_language"])
    request = submitted(applicant, django_capture_on_commit_callbacks)
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="reject", comment="Zu viele Abwesenheiten im Juni.")

    mail = mail_to(applicant)
    assert mail.subject == f"[Kurzer Dienstweg] Leave {request.reference}: Rejected"
    assert f"Decided by {approver.get_full_name()}." in mail.message
    assert f"Reason given by {approver.get_full_name()}:\nZu viele Abwesenheiten im Juni." in mail.message
    assert f"{BASE_URL}/en/requests/{request.reference}/" in mail.message
    notification = Notification.objects.get(recipient=applicant)
    assert notification.message == f"Leave {request.reference}: Rejected"
    assert notification.url == f"/en/requests/{request.reference}/"


def test_decision_on_behalf_names_both_people(applicant, approver, unit, django_capture_on_commit_callbacks):
    applicant.preferred_language = "en"
    applicant.save(update_fields=["preferred_language"])
    delegate = UserFactory(unit=unit, first_name="Clara", last_name="Wolf")
    now = timezone.now()
    delegation_create(delegator=approver, delegate=delegate, unit=unit, codenames=["decide_leave"], reason="Urlaub",
                      starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=5))
    request = submitted(applicant, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=delegate, decision="approve")

    assert f"Decided by Clara Wolf on behalf of {approver.get_full_name()}." in mail_to(applicant).message


def test_german_recipient_gets_the_german_page_and_approvers_the_kind_in_the_title(
        applicant, approver, django_capture_on_commit_callbacks):
    approver.preferred_language = "de"
    approver.save(update_fields=["preferred_language"])
    with translation.override("en"):
        request = submitted(applicant, django_capture_on_commit_callbacks)

    mail = mail_to(approver)
    assert f"{BASE_URL}/requests/{request.reference}/" in mail.message and "/en/" not in mail.message
    with translation.override("de"):
        kind = str(LEAVE.label)
    assert mail.subject.startswith(f"[Kurzer Dienstweg] {kind} {request.reference} ")
    assert Notification.objects.get(recipient=approver).message.startswith(f"{kind} {request.reference} ")


def test_a_link_built_in_another_language_leads_to_the_recipients(applicant, db):
    applicant.preferred_language = "en"
    applicant.save(update_fields=["preferred_language"])
    with translation.override("de"):
        path = reverse("delegations:list")

    deliver(recipient=applicant, template="delegation", path=path,
            context={"delegation": None, "labels": ""})

    assert Notification.objects.get(recipient=applicant).url == f"/en{path}"
    assert f"{BASE_URL}/en{path}" in mail_to(applicant).message
