"""Every state change of a request: one function each, atomic, guarded by the current state, recorded.

Each function locks the request row (`select_for_update`) before checking its state, so that two
people acting on the same request at the same moment give exactly one change.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from services.attachments import attachment_create
from services.kinds import RequestKind
from services.models import (
    PENDING_DECISION_STATUSES,
    EventAction,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from services.tasks import notify_applicant


class TransitionNotAllowed(Exception):
    """The request is not in a state that allows this change; the message says why, for the person."""


@dataclass(frozen=True)
class Decision:
    action: EventAction
    status: RequestStatus


DECISIONS = {
    "approve": Decision(EventAction.APPROVED, RequestStatus.APPROVED),
    "reject": Decision(EventAction.REJECTED, RequestStatus.REJECTED),
    "request_changes": Decision(EventAction.CHANGES_REQUESTED, RequestStatus.CHANGES_REQUESTED),
}


def _locked(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def _record(request: ServiceRequest, *, action: EventAction, actor: User, from_status: str, comment: str = "",
            on_behalf_of: User | None = None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, action=action, actor=actor, on_behalf_of=on_behalf_of, from_status=from_status,
        to_status=request.status, step=request.current_step, comment=comment,
    )


def _assign_reference(request: ServiceRequest) -> None:
    # The year as people in the city read the clock, not UTC: on New Year's night they differ.
    request.reference = f"KD-{timezone.localtime(request.created_at):%Y}-{request.pk:06d}"
    ServiceRequest.objects.filter(pk=request.pk).update(reference=request.reference)


def _store_attachments(request: ServiceRequest, files: Iterable[UploadedFile], actor: User) -> None:
    files = list(files)
    if files and not (request.kind_entry and request.kind_entry.accepts_attachments):
        raise TransitionNotAllowed(_("This kind of request takes no attachments."))
    for uploaded in files:
        attachment_create(request=request, uploaded=uploaded, uploaded_by=actor)


@transaction.atomic
def request_save_draft(*, applicant: User, kind: RequestKind, data: dict, service_page=None,
                       draft: ServiceRequest | None = None, files: Iterable[UploadedFile] = ()) -> ServiceRequest:
    """Keep what the applicant entered so far, unvalidated, to be continued later."""
    if draft is None:
        draft = ServiceRequest.objects.create(
            kind=kind.slug, applicant=applicant, unit=applicant.unit, service_page=service_page, draft_data=data,
        )
        _assign_reference(draft)
    else:
        draft = _locked(draft)
        if draft.applicant_id != applicant.pk or draft.kind != kind.slug:
            raise TransitionNotAllowed(_("This draft belongs to another service."))
        if draft.status != RequestStatus.DRAFT:
            raise TransitionNotAllowed(_("This request is no longer a draft and cannot be saved as one."))
        draft.draft_data = data
        draft.save(update_fields=["draft_data", "updated_at"])
    _store_attachments(draft, files, applicant)
    _record(draft, action=EventAction.DRAFT_SAVED, actor=applicant, from_status=RequestStatus.DRAFT)
    return draft


@transaction.atomic
def request_submit(*, applicant: User, kind: RequestKind, details: models.Model, service_page=None,
                   draft: ServiceRequest | None = None, files: Iterable[UploadedFile] = (),
                   extra_answers: dict | None = None) -> ServiceRequest:
    """File a validated request (new, or a draft that is now complete) and hand it to the approvers."""
    now = timezone.now()
    if draft is None:
        request = ServiceRequest.objects.create(
            kind=kind.slug, applicant=applicant, unit=applicant.unit, service_page=service_page,
            status=RequestStatus.SUBMITTED, submitted_at=now, current_step=1, extra_answers=extra_answers or {},
        )
        _assign_reference(request)
    else:
        request = _locked(draft)
        if request.applicant_id != applicant.pk or request.kind != kind.slug:
            raise TransitionNotAllowed(_("This draft belongs to another service."))
        if request.status != RequestStatus.DRAFT:
            raise TransitionNotAllowed(_("This request has already been submitted."))
        request.status = RequestStatus.SUBMITTED
        request.submitted_at = now
        request.current_step = 1
        request.unit = applicant.unit
        request.draft_data = {}
        request.extra_answers = extra_answers or {}
        request.save()
    details.request = request
    details.save()
    _store_attachments(request, files, applicant)
    _record(request, action=EventAction.SUBMITTED, actor=applicant, from_status=RequestStatus.DRAFT)
    transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=EventAction.SUBMITTED))
    return request


@transaction.atomic
def request_resubmit(*, request: ServiceRequest, actor: User, details: models.Model,
                     files: Iterable[UploadedFile] = (), comment: str = "") -> ServiceRequest:
    """Send a request back to the approvers after the applicant made the changes they asked for."""
    request = _locked(request)
    if request.applicant_id != actor.pk:
        raise TransitionNotAllowed(_("Only the applicant can change and resubmit this request."))
    if request.status != RequestStatus.CHANGES_REQUESTED:
        raise TransitionNotAllowed(_("Only a request sent back for changes can be resubmitted."))
    previous = request.status
    details.request = request
    details.save()
    request.status = RequestStatus.SUBMITTED
    request.current_step = 1
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "current_step", "submitted_at", "updated_at"])
    _store_attachments(request, files, actor)
    _record(request, action=EventAction.RESUBMITTED, actor=actor, from_status=previous, comment=comment)
    transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=EventAction.RESUBMITTED))
    return request


@transaction.atomic
def request_withdraw(*, request: ServiceRequest, actor: User, comment: str = "") -> ServiceRequest:
    """The applicant takes back a request before it has been decided."""
    request = _locked(request)
    if request.applicant_id != actor.pk:
        raise TransitionNotAllowed(_("Only the applicant can withdraw this request."))
    if request.status not in (*PENDING_DECISION_STATUSES, RequestStatus.CHANGES_REQUESTED):
        raise TransitionNotAllowed(_("This request can no longer be withdrawn: it is %(status)s.") % {
            "status": request.get_status_display()})
    previous = request.status
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    _record(request, action=EventAction.WITHDRAWN, actor=actor, from_status=previous, comment=comment)
    return request


@transaction.atomic
def request_discard_draft(*, request: ServiceRequest, actor: User) -> None:
    """Delete a draft that was never submitted; nothing of it was ever seen by anyone else."""
    request = _locked(request)
    if request.applicant_id != actor.pk or request.status != RequestStatus.DRAFT:
        raise TransitionNotAllowed(_("Only your own drafts can be deleted."))
    files = [(attachment.file.storage, attachment.file.name) for attachment in request.attachments.all()]
    request.delete()
    # Files are not part of the transaction: remove them only once the rows are really gone.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def request_decide(*, request: ServiceRequest, actor: User, decision: str, comment: str = "",
                   on_behalf_of: User | None = None) -> ServiceRequest:
    """Approve, reject or send back a request that awaits a decision.

    Who may decide is answered by services.permissions before this is called; this function guards
    the state and separation of duties, so that no caller can decide a settled or own request.
    """
    if decision not in DECISIONS:
        raise TransitionNotAllowed(_("Unknown decision."))
    outcome = DECISIONS[decision]
    request = _locked(request)
    if request.applicant_id == actor.pk:
        raise TransitionNotAllowed(_("Nobody can decide their own request."))
    if request.status not in PENDING_DECISION_STATUSES:
        raise TransitionNotAllowed(_("This request has already been settled: it is %(status)s.") % {
            "status": request.get_status_display()})
    if outcome.status in (RequestStatus.REJECTED, RequestStatus.CHANGES_REQUESTED) and not comment.strip():
        raise TransitionNotAllowed(_("Give a reason so that the applicant knows what to do."))
    previous = request.status
    request.status = outcome.status
    if outcome.status in (RequestStatus.APPROVED, RequestStatus.REJECTED):
        request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    _record(request, action=outcome.action, actor=actor, from_status=previous, comment=comment, on_behalf_of=on_behalf_of)
    transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=outcome.action))
    return request
