"""The state changes of a request, called as services: each guarded, atomic and recorded."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from post_office.models import STATUS, Email

from services import workflow
from services.kinds import registry
from services.kinds.vpn_access import VpnAccessRequest, VpnDevice
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from services.models import Attachment, EventAction, ImmutableRecordError, RequestEvent, RequestStatus, ServiceRequest
from tests.factories import leave_request, leave_type_record, next_monday

LEAVE = registry.get("leave")
VPN = registry.get("vpn_access")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def leave_details(*, start: datetime.date | None = None, days: int = 5, leave_type: str = "annual") -> LeaveRequest:
    start = start or next_monday()
    end = start + datetime.timedelta(days=days - 1)
    return LeaveRequest(leave_type=leave_type_record(leave_type), start_date=start, end_date=end,
                        working_days=count_days(start=start, end=end))


def vpn_details() -> VpnAccessRequest:
    start = next_monday()
    return VpnAccessRequest(device=VpnDevice.MUNICIPAL, reason="Rufbereitschaft", start_date=start,
                            end_date=start + datetime.timedelta(days=90), systems=["email"])


def submitted_leave(applicant) -> ServiceRequest:
    return workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details())


def actions(request: ServiceRequest) -> list[str]:
    return list(request.events.order_by("created_at", "pk").values_list("action", flat=True))


@pytest.fixture(autouse=True)
def english():
    """Messages are matched by a key word of their English source text."""
    with translation.override("en"):
        yield


# --- submit -----------------------------------------------------------------------------------------


def test_submit_creates_request_details_and_one_submitted_event(applicant):
    request = submitted_leave(applicant)

    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert request.kind == "leave"
    assert request.applicant == applicant
    assert request.unit == applicant.unit
    assert request.current_step == 1
    assert request.submitted_at is not None
    assert request.leave.working_days == 5
    assert request.details == request.leave
    event = request.events.get()
    assert event.action == EventAction.SUBMITTED
    assert (event.actor, event.from_status, event.to_status, event.step) == (applicant, RequestStatus.DRAFT,
                                                                             RequestStatus.SUBMITTED, 1)


def test_submit_assigns_reference_with_year_and_six_digits(applicant):
    request = submitted_leave(applicant)

    assert re.fullmatch(r"KD-\d{4}-\d{6}", request.reference)
    assert request.reference == f"KD-{timezone.localdate().year}-{request.pk:06d}"
    assert ServiceRequest.objects.get(pk=request.pk).reference == request.reference


def test_reference_carries_the_local_year_on_new_years_night(applicant):
    # 23:30 UTC on 31 December is already half past midnight on New Year's Day in Musterstadt.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
        request = workflow.request_submit(applicant=applicant, kind=LEAVE,
                                          details=leave_details(start=datetime.date(2027, 1, 11)))

    assert request.reference.startswith("KD-2027-")


def test_references_are_unique_and_increasing(applicant):
    first, second = submitted_leave(applicant), submitted_leave(applicant)

    assert first.reference != second.reference
    assert first.reference < second.reference


def test_submit_tells_the_approvers_once_committed_and_not_the_applicant(applicant, approver, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = submitted_leave(applicant)

    assert not [mail for mail in mailoutbox if mail.to == [applicant.email]]  # the page confirms it
    to_approver = [mail for mail in mailoutbox if mail.to == [approver.email]]
    assert len(to_approver) == 1 and request.reference in to_approver[0].subject


def test_submit_stores_an_attachment_for_a_kind_that_accepts_them(applicant):
    upload = SimpleUploadedFile("einladung.pdf", PDF, content_type="application/pdf")

    request = workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details(), files=[upload])

    attachment = request.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.uploaded_by) == ("einladung.pdf", "application/pdf",
                                                                                           applicant)


def test_submit_refuses_attachments_for_a_kind_without_them_and_saves_nothing(applicant):
    upload = SimpleUploadedFile("einladung.pdf", PDF, content_type="application/pdf")

    with pytest.raises(workflow.TransitionNotAllowed, match="attachments"):
        workflow.request_submit(applicant=applicant, kind=VPN, details=vpn_details(), files=[upload])

    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()


# --- drafts -----------------------------------------------------------------------------------------


def test_save_draft_keeps_incomplete_data_unvalidated(applicant):
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"start_date": "2027-04-", "note": "Ostern"})

    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT
    assert draft.submitted_at is None
    assert draft.draft_data == {"start_date": "2027-04-", "note": "Ostern"}
    assert re.fullmatch(r"KD-\d{4}-\d{6}", draft.reference)
    assert draft.details is None
    assert actions(draft) == [EventAction.DRAFT_SAVED]


def test_save_draft_again_updates_the_same_draft(applicant):
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"note": "erst"})

    again = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"note": "dann"}, draft=draft)

    assert again.pk == draft.pk
    assert ServiceRequest.objects.get().draft_data == {"note": "dann"}
    assert actions(draft) == [EventAction.DRAFT_SAVED, EventAction.DRAFT_SAVED]


def test_draft_saved_then_continued_then_submitted(applicant):
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"leave_type": "annual"})
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"leave_type": "annual", "note": "x"},
                                        draft=draft)

    submitted = workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details(), draft=draft)

    submitted.refresh_from_db()
    assert submitted.pk == draft.pk
    assert submitted.reference == draft.reference
    assert submitted.status == RequestStatus.SUBMITTED
    assert submitted.submitted_at is not None
    assert submitted.draft_data == {}
    assert submitted.leave.working_days == 5
    assert ServiceRequest.objects.count() == 1
    assert actions(submitted) == [EventAction.DRAFT_SAVED, EventAction.DRAFT_SAVED, EventAction.SUBMITTED]


def test_someone_elses_draft_cannot_be_submitted_or_saved(applicant, colleague):
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"note": "mine"})

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_submit(applicant=colleague, kind=LEAVE, details=leave_details(), draft=draft)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_save_draft(applicant=colleague, kind=LEAVE, data={"note": "theirs"}, draft=draft)

    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT
    assert draft.draft_data == {"note": "mine"}
    assert actions(draft) == [EventAction.DRAFT_SAVED]
    assert not LeaveRequest.objects.exists()


def test_draft_of_another_kind_cannot_be_submitted_or_saved(applicant):
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"note": "leave"})

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_submit(applicant=applicant, kind=VPN, details=vpn_details(), draft=draft)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_save_draft(applicant=applicant, kind=VPN, data={"reason": "vpn"}, draft=draft)

    draft.refresh_from_db()
    assert (draft.kind, draft.status, draft.draft_data) == ("leave", RequestStatus.DRAFT, {"note": "leave"})
    assert not VpnAccessRequest.objects.exists()


def test_a_submitted_request_cannot_be_submitted_or_saved_as_draft_again(applicant):
    request = submitted_leave(applicant)

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details(days=2), draft=request)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={}, draft=request)

    assert request.leave.working_days == 5
    assert actions(request) == [EventAction.SUBMITTED]


def test_discarding_a_draft_deletes_it_with_its_history_and_files(applicant, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("einladung.pdf", PDF, content_type="application/pdf")
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={}, files=[upload])
    attachment = draft.attachments.get()
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_discard_draft(request=draft, actor=applicant)

    assert not ServiceRequest.objects.filter(pk=draft.pk).exists()
    assert not RequestEvent.objects.filter(request_id=draft.pk).exists()
    assert not storage.exists(name)


def test_discarding_keeps_the_files_until_the_deletion_is_committed(applicant, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("einladung.pdf", PDF, content_type="application/pdf")
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={}, files=[upload])
    attachment = draft.attachments.get()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.request_discard_draft(request=draft, actor=applicant)

    assert attachment.file.storage.exists(attachment.file.name)
    assert len(callbacks) == 1
    callbacks[0]()
    assert not attachment.file.storage.exists(attachment.file.name)


def test_discarding_is_refused_for_a_submitted_request_and_for_someone_else(applicant, colleague):
    request = submitted_leave(applicant)
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={})

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_discard_draft(request=request, actor=applicant)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_discard_draft(request=draft, actor=colleague)

    assert ServiceRequest.objects.filter(pk__in=[request.pk, draft.pk]).count() == 2


# --- withdraw ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW, RequestStatus.CHANGES_REQUESTED])
def test_withdraw_is_allowed_while_undecided(status, applicant):
    request = leave_request(applicant=applicant, status=status)

    workflow.request_withdraw(request=request, actor=applicant, comment="Termin entfällt")

    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    event = request.events.get()
    assert (event.action, event.actor, event.from_status, event.to_status, event.comment) == (
        EventAction.WITHDRAWN, applicant, status, RequestStatus.WITHDRAWN, "Termin entfällt")


@pytest.mark.parametrize("status", [RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN,
                                    RequestStatus.CANCELLED, RequestStatus.DRAFT])
def test_withdraw_is_refused_once_settled_or_still_a_draft(status, applicant):
    request = leave_request(applicant=applicant, status=status)
    updated_at = ServiceRequest.objects.get(pk=request.pk).updated_at

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_withdraw(request=request, actor=applicant)

    unchanged = ServiceRequest.objects.get(pk=request.pk)
    assert (unchanged.status, unchanged.updated_at) == (status, updated_at)
    assert not request.events.exists()


def test_withdraw_is_refused_for_someone_elses_request(applicant, colleague):
    request = submitted_leave(applicant)

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_withdraw(request=request, actor=colleague)

    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert actions(request) == [EventAction.SUBMITTED]


def test_withdraw_checks_the_current_state_not_a_stale_copy(applicant, approver):
    request = submitted_leave(applicant)
    stale = ServiceRequest.objects.get(pk=request.pk)
    workflow.request_decide(request=request, actor=approver, decision="approve")

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_withdraw(request=stale, actor=applicant)

    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.APPROVED


# --- decide and resubmit ----------------------------------------------------------------------------


def test_changes_requested_then_resubmitted_with_new_details(applicant, approver):
    request = submitted_leave(applicant)
    workflow.request_decide(request=request, actor=approver, decision="request_changes",
                            comment="Bitte eine Woche später.")
    request.refresh_from_db()
    assert request.status == RequestStatus.CHANGES_REQUESTED
    details = request.leave
    details.start_date += datetime.timedelta(days=7)
    details.end_date = details.start_date + datetime.timedelta(days=1)
    details.working_days = Decimal("2")

    workflow.request_resubmit(request=request, actor=applicant, details=details, comment="Verschoben.")

    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert request.current_step == 1
    assert LeaveRequest.objects.get(request=request).working_days == 2
    assert LeaveRequest.objects.count() == 1
    assert actions(request) == [EventAction.SUBMITTED, EventAction.CHANGES_REQUESTED, EventAction.RESUBMITTED]
    changes, resubmitted = request.events.order_by("pk")[1:]
    assert (changes.actor, changes.comment, changes.to_status) == (approver, "Bitte eine Woche später.",
                                                                   RequestStatus.CHANGES_REQUESTED)
    assert (resubmitted.actor, resubmitted.from_status, resubmitted.comment) == (applicant, RequestStatus.CHANGES_REQUESTED,
                                                                                 "Verschoben.")


@pytest.mark.parametrize("status", [RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW,
                                    RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN])
def test_resubmit_is_refused_unless_changes_were_requested(status, applicant):
    request = leave_request(applicant=applicant, status=status, days=5)
    details = request.leave
    details.working_days = Decimal("1")

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_resubmit(request=request, actor=applicant, details=details)

    assert LeaveRequest.objects.get(request=request).working_days == 5
    assert ServiceRequest.objects.get(pk=request.pk).status == status
    assert not request.events.exists()


def test_resubmit_is_refused_for_someone_else(applicant, colleague):
    request = leave_request(applicant=applicant, status=RequestStatus.CHANGES_REQUESTED)

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_resubmit(request=request, actor=colleague, details=request.leave)

    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.CHANGES_REQUESTED
    assert not request.events.exists()


def test_approve_settles_the_request(applicant, approver, mailoutbox, django_capture_on_commit_callbacks):
    request = submitted_leave(applicant)
    Email.objects.update(status=STATUS.sent)  # what the submission queued went out when it committed

    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="approve")

    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.decided_at is not None
    assert actions(request) == [EventAction.SUBMITTED, EventAction.APPROVED]
    assert [mail.to for mail in mailoutbox] == [[applicant.email]]


def test_decision_by_a_delegate_records_on_whose_behalf_it_was_taken(applicant, approver, colleague):
    from datetime import timedelta

    from django.utils import timezone

    from services.delegation.models import Delegation

    delegation = Delegation.objects.create(
        delegator=approver, delegate=colleague, unit=applicant.unit, permissions=["decide_leave"], reason="Urlaub",
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(days=1),
    )
    request = submitted_leave(applicant)

    workflow.request_decide(request=request, actor=colleague, decision="approve")

    event = request.events.get(action=EventAction.APPROVED)
    assert (event.actor, event.on_behalf_of, event.delegation) == (colleague, approver, delegation)


def test_nobody_can_decide_their_own_request(applicant):
    request = submitted_leave(applicant)

    with pytest.raises(workflow.TransitionNotAllowed, match="own request"):
        workflow.request_decide(request=request, actor=applicant, decision="approve")

    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert actions(request) == [EventAction.SUBMITTED]


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
@pytest.mark.parametrize("comment", ["", "   \n"])
def test_reject_and_request_changes_need_a_reason(decision, comment, applicant, approver):
    request = submitted_leave(applicant)

    with pytest.raises(workflow.TransitionNotAllowed, match="reason"):
        workflow.request_decide(request=request, actor=approver, decision=decision, comment=comment)

    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert actions(request) == [EventAction.SUBMITTED]


@pytest.mark.parametrize("status", [RequestStatus.DRAFT, RequestStatus.CHANGES_REQUESTED, RequestStatus.APPROVED,
                                    RequestStatus.REJECTED, RequestStatus.WITHDRAWN])
def test_decide_is_refused_unless_awaiting_a_decision(status, applicant, approver):
    request = leave_request(applicant=applicant, status=status)

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_decide(request=request, actor=approver, decision="approve")

    assert ServiceRequest.objects.get(pk=request.pk).status == status
    assert not request.events.exists()


def test_unknown_decision_is_refused(applicant, approver):
    request = submitted_leave(applicant)

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_decide(request=request, actor=approver, decision="shrug")

    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.SUBMITTED


# --- events -----------------------------------------------------------------------------------------


def test_events_cannot_be_changed(applicant):
    event = submitted_leave(applicant).events.get()
    event.comment = "rewritten history"

    with pytest.raises(ImmutableRecordError):
        event.save()

    assert RequestEvent.objects.get(pk=event.pk).comment == ""


def test_events_cannot_be_deleted(applicant):
    event = submitted_leave(applicant).events.get()

    with pytest.raises(ImmutableRecordError):
        event.delete()

    assert RequestEvent.objects.filter(pk=event.pk).exists()
