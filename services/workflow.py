"""Every state change of a request: one function each, atomic, guarded by the current state, recorded.

Each function locks the request row (`select_for_update`) before checking its state, and decisions
change the row only if it is still at the step the decider saw, so that two people acting on the
same request at the same moment give exactly one change.
"""

from collections.abc import Iterable, Mapping
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
    UNDECIDED_STATUSES,
    EventAction,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    ServiceRequestUserPermission,
)
from services.questions import extra_answers_attach_files
from services.tasks import notify_applicant, notify_approvers, notify_substitute


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
            on_behalf_of: User | None = None, delegation=None, step: int | None = None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, action=action, actor=actor, on_behalf_of=on_behalf_of, delegation=delegation,
        from_status=from_status, to_status=request.status,
        step=request.current_step if step is None else step, comment=comment,
    )


def _settled(request: ServiceRequest, event: RequestEvent) -> None:
    """Let the request's kind act on its final outcome (e.g. a cancellation shortens its leave)."""
    kind = request.kind_entry
    if kind is not None and kind.on_settled is not None:
        kind.on_settled(request, event)


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


def _store_answer_files(request: ServiceRequest, files: Mapping[str, UploadedFile] | None, actor: User) -> None:
    """Files answering the page's file questions: asked for by the editors, so taken whatever the kind."""
    if files:
        request.extra_answers = extra_answers_attach_files(request=request, answers=request.extra_answers, files=files,
                                                           actor=actor)
        request.save(update_fields=["extra_answers", "updated_at"])


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
                   extra_answers: dict | None = None, extra_files: Mapping[str, UploadedFile] | None = None) -> ServiceRequest:
    """File a validated request (new, or a draft that is now complete) and hand it to the approvers.

    `extra_answers` is the snapshot of the page's extra questions with their checked answers
    (services.questions); `extra_files` are the files answering its file questions, by question id.
    A kind whose steps the page chooses gets them fixed on the request here (`step_plan`).
    """
    now = timezone.now()
    if draft is None:
        request = ServiceRequest.objects.create(
            kind=kind.slug, applicant=applicant, unit=applicant.unit, service_page=service_page,
            status=RequestStatus.SUBMITTED, submitted_at=now, current_step=1, extra_answers=extra_answers or {},
            step_plan=kind.step_plan_for(service_page),
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
        request.step_plan = kind.step_plan_for(service_page or request.service_page)
        request.save()
    if not kind.steps_for(request):
        raise TransitionNotAllowed(_("Nobody has been named to decide this service yet. Please contact the editors."))
    details.request = request
    details.save()
    _await_substitute_if_asked(request, details)
    _store_attachments(request, files, applicant)
    _store_answer_files(request, extra_files, applicant)
    _record(request, action=EventAction.SUBMITTED, actor=applicant, from_status=RequestStatus.DRAFT)
    transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=EventAction.SUBMITTED))
    _route_or_ask_substitute(request, details, actor=applicant)
    return request


@transaction.atomic
def request_resubmit(*, request: ServiceRequest, actor: User, details: models.Model,
                     files: Iterable[UploadedFile] = (), comment: str = "", extra_answers: dict | None = None,
                     extra_files: Mapping[str, UploadedFile] | None = None) -> ServiceRequest:
    """Send a request back to the approvers after the applicant made the changes they asked for.

    `extra_answers`, when given, replaces the snapshot of the extra questions and their answers.
    """
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
    update_fields = ["status", "current_step", "submitted_at", "updated_at"]
    if extra_answers is not None:
        request.extra_answers = extra_answers
        update_fields.append("extra_answers")
    request.save(update_fields=update_fields)
    _await_substitute_if_asked(request, details)
    _store_attachments(request, files, actor)
    _store_answer_files(request, extra_files, actor)
    _record(request, action=EventAction.RESUBMITTED, actor=actor, from_status=previous, comment=comment)
    transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=EventAction.RESUBMITTED))
    _route_or_ask_substitute(request, details, actor=actor)
    return request


@transaction.atomic
def request_withdraw(*, request: ServiceRequest, actor: User, comment: str = "") -> ServiceRequest:
    """The applicant takes back a request before it has been decided."""
    request = _locked(request)
    if request.applicant_id != actor.pk:
        raise TransitionNotAllowed(_("Only the applicant can withdraw this request."))
    if request.status not in UNDECIDED_STATUSES:
        raise TransitionNotAllowed(_("This request can no longer be withdrawn: it is %(status)s.") % {
            "status": request.get_status_display()})
    previous = request.status
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    ServiceRequestUserPermission.objects.filter(content_object=request).delete()
    _settled(request, _record(request, action=EventAction.WITHDRAWN, actor=actor, from_status=previous, comment=comment))
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


class AlreadyDecided(TransitionNotAllowed):
    """Someone else settled this step first; the message names who and when."""


def _route(request: ServiceRequest, *, actor: User) -> None:
    """Point the request at its current step's permission; flag it for the fallback queue when nobody holds it."""
    from services import permissions

    kind = request.kind_entry
    steps = kind.steps_for(request) if kind else ()
    step = steps[request.current_step - 1] if 1 <= request.current_step <= len(steps) else None
    request.step_permission = step.permission if step else ""
    request.unassigned = False
    request.save(update_fields=["step_permission", "unassigned", "updated_at"])
    ServiceRequestUserPermission.objects.filter(content_object=request).delete()
    if step is not None and not permissions.entitled_users(request):
        request.unassigned = True
        request.save(update_fields=["unassigned", "updated_at"])
        _record(request, action=EventAction.UNASSIGNED, actor=actor, from_status=request.status)
        transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=EventAction.UNASSIGNED))
    elif step is not None:
        transaction.on_commit(lambda: notify_approvers.enqueue(request_id=request.pk))


# --- The named substitute confirms first (leave types with `substitute_must_confirm`) -----------------

def _substitute_to_confirm(details: models.Model | None) -> User | None:
    """Who must confirm before the approvers see the request: asked of the kind's details (leave only, today)."""
    asks = getattr(details, "substitute_to_confirm", None)
    return asks() if callable(asks) else None


def _await_substitute_if_asked(request: ServiceRequest, details: models.Model) -> None:
    """Hold a just (re)submitted request back from the approvers while its substitute has not confirmed.

    The request waits in its own status, at step 0 and with no step permission, so that no queue,
    decision check or approver notification can reach it until `request_substitute_confirm`.
    """
    if _substitute_to_confirm(details) is None:
        return
    request.status = RequestStatus.AWAITING_SUBSTITUTE
    request.current_step = 0
    request.step_permission = ""
    request.unassigned = False
    request.save(update_fields=["status", "current_step", "step_permission", "unassigned", "updated_at"])
    ServiceRequestUserPermission.objects.filter(content_object=request).delete()


def _route_or_ask_substitute(request: ServiceRequest, details: models.Model, *, actor: User) -> None:
    if request.status != RequestStatus.AWAITING_SUBSTITUTE:
        _route(request, actor=actor)
        return
    substitute = _substitute_to_confirm(details)
    _record(request, action=EventAction.SUBSTITUTE_ASKED, actor=actor, from_status=request.status, comment=str(substitute))
    transaction.on_commit(lambda: notify_substitute.enqueue(request_id=request.pk))


def _locked_for_substitute(request: ServiceRequest, actor: User) -> ServiceRequest:
    """The locked request, if `actor` is its named substitute and it still waits for them; refused otherwise."""
    request = _locked(request)
    details = request.details
    substitute = getattr(details, "substitute", None)
    if request.applicant_id == actor.pk:
        raise TransitionNotAllowed(_("Your substitute has to confirm this themselves."))
    if substitute is None or substitute.pk != actor.pk:
        raise TransitionNotAllowed(_("Only the substitute named in this request can confirm or decline it."))
    if request.status != RequestStatus.AWAITING_SUBSTITUTE:
        raise TransitionNotAllowed(_("This request no longer waits for your confirmation: it is %(status)s.") % {
            "status": request.get_status_display()})
    return request


@transaction.atomic
def request_substitute_confirm(*, request: ServiceRequest, actor: User, comment: str = "") -> ServiceRequest:
    """The named substitute agrees to cover: the request goes to the approvers of its first step."""
    request = _locked_for_substitute(request, actor)
    previous = request.status
    request.status = RequestStatus.SUBMITTED
    request.current_step = 1
    request.save(update_fields=["status", "current_step", "updated_at"])
    _record(request, action=EventAction.SUBSTITUTE_CONFIRMED, actor=actor, from_status=previous, comment=comment)
    transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=EventAction.SUBSTITUTE_CONFIRMED))
    _route(request, actor=actor)
    return request


@transaction.atomic
def request_substitute_decline(*, request: ServiceRequest, actor: User, comment: str) -> ServiceRequest:
    """The named substitute cannot cover: the request goes back to the applicant, who may name someone else and resubmit."""
    if not comment.strip():
        raise TransitionNotAllowed(_("Give a reason so that your colleague knows what to do."))
    request = _locked_for_substitute(request, actor)
    previous = request.status
    request.status = RequestStatus.CHANGES_REQUESTED
    request.save(update_fields=["status", "updated_at"])
    _record(request, action=EventAction.SUBSTITUTE_DECLINED, actor=actor, from_status=previous, comment=comment)
    transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=EventAction.SUBSTITUTE_DECLINED))
    return request


def _claim(request: ServiceRequest, *, expected_step: int | None, changes: dict) -> None:
    """Compare-and-set: change the row only if it is still pending at the step the decider saw.

    With the row locked on PostgreSQL and SQLite's immediate transactions, two simultaneous
    decisions give exactly one change; the other finds the row already moved and is refused.
    """
    step = request.current_step if expected_step is None else expected_step
    updated = ServiceRequest.objects.filter(pk=request.pk, status__in=PENDING_DECISION_STATUSES, current_step=step).update(
        updated_at=timezone.now(), **changes)
    if updated != 1:
        _refuse_settled(request)


def _refuse_settled(request: ServiceRequest) -> None:
    last = RequestEvent.objects.filter(request=request).select_related("actor").order_by("-created_at", "-pk").first()
    if last is None:
        raise AlreadyDecided(_("This request is no longer awaiting your decision. Nothing of yours was saved."))
    raise AlreadyDecided(
        _("%(person)s already acted on this request (%(action)s, %(when)s). Nothing of yours was saved.") % {
            "person": last.actor, "action": last.get_action_display(),
            "when": timezone.localtime(last.created_at).strftime("%d.%m.%Y %H:%M:%S")})


@transaction.atomic
def request_decide(*, request: ServiceRequest, actor: User, decision: str, comment: str = "",
                   expected_step: int | None = None) -> ServiceRequest:
    """Approve, reject or send back the current step of a pending request.

    Who may decide is answered by services.permissions; the authority found there (own
    responsibility, delegation, substitution, forward) is recorded with the decision. Approving a
    step that is not the last routes the request to the next step.
    """
    from services import permissions

    if decision not in DECISIONS:
        raise TransitionNotAllowed(_("Unknown decision."))
    outcome = DECISIONS[decision]
    if outcome.status in (RequestStatus.REJECTED, RequestStatus.CHANGES_REQUESTED) and not comment.strip():
        raise TransitionNotAllowed(_("Give a reason so that the applicant knows what to do."))
    request = _locked(request)
    if request.applicant_id == actor.pk:
        raise TransitionNotAllowed(_("Nobody can decide their own request."))
    if request.status not in PENDING_DECISION_STATUSES or (expected_step is not None and request.current_step != expected_step):
        _refuse_settled(request)
    authority = permissions.decision_authority(actor, request)
    if authority is None:
        raise TransitionNotAllowed(_("You may not decide this request (any more)."))
    previous = request.status
    kind = request.kind_entry
    is_last_step = kind is None or request.current_step >= len(kind.steps_for(request))
    if outcome.status == RequestStatus.APPROVED and not is_last_step:
        _claim(request, expected_step=expected_step, changes={"status": RequestStatus.IN_REVIEW,
                                                             "current_step": request.current_step + 1})
        request.refresh_from_db()
        _record(request, action=EventAction.STEP_APPROVED, actor=actor, from_status=previous, comment=comment,
                on_behalf_of=authority.on_behalf_of, delegation=authority.delegation, step=request.current_step - 1)
        _route(request, actor=actor)
        transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=EventAction.STEP_APPROVED))
        return request
    changes = {"status": outcome.status}
    if outcome.status in (RequestStatus.APPROVED, RequestStatus.REJECTED):
        changes["decided_at"] = timezone.now()
    _claim(request, expected_step=expected_step, changes=changes)
    request.refresh_from_db()
    event = _record(request, action=outcome.action, actor=actor, from_status=previous, comment=comment,
                    on_behalf_of=authority.on_behalf_of, delegation=authority.delegation)
    if outcome.status in (RequestStatus.APPROVED, RequestStatus.REJECTED):
        _settled(request, event)
    ServiceRequestUserPermission.objects.filter(content_object=request).delete()
    transaction.on_commit(lambda: notify_applicant.enqueue(request_id=request.pk, action=outcome.action))
    return request


@transaction.atomic
def request_forward(*, request: ServiceRequest, actor: User, to: User, comment: str = "",
                    expected_step: int | None = None) -> ServiceRequest:
    """Pass this one case to a named colleague, who may then decide its current step (until it moves on)."""
    from guardian.shortcuts import assign_perm

    from services import permissions

    request = _locked(request)
    if request.status not in PENDING_DECISION_STATUSES or (expected_step is not None and request.current_step != expected_step):
        _refuse_settled(request)
    if permissions.decision_authority(actor, request) is None:
        raise TransitionNotAllowed(_("You may not forward this request."))
    if to.pk in (actor.pk, request.applicant_id) or not to.is_active:
        raise TransitionNotAllowed(_("Forward the request to an active colleague other than yourself and the applicant."))
    assign_perm(f"services.{permissions.FORWARDED_CODENAME}", to, request)
    _record(request, action=EventAction.FORWARDED, actor=actor, from_status=request.status,
            comment=(f"→ {to}: {comment}" if comment else f"→ {to}"))
    transaction.on_commit(lambda: notify_approvers.enqueue(request_id=request.pk, user_ids=[to.pk]))
    return request


# --- Cancelling approved leave (design: services/kinds/leave_cancellation.py) -----------------------

@transaction.atomic
def request_cancel(*, request: ServiceRequest, actor: User, from_date=None, comment: str = "") -> ServiceRequest:
    """The applicant asks to cancel approved leave as a whole, or to shorten it from `from_date` on.

    Files a leave_cancellation request that the leave's approvers decide; the leave itself stays
    approved until they do. Refused for leave that is not approved, for days already begun, and
    while another cancellation of the same leave is open.
    """
    from services.kinds.leave import LeaveRequest
    from services.kinds.leave_cancellation import KIND, LeaveCancellation, cancellation_refusal

    original = _locked(request)
    if original.applicant_id != actor.pk:
        raise TransitionNotAllowed(_("Only the applicant can cancel this leave."))
    leave = LeaveRequest.objects.filter(request=original).first()
    refusal = cancellation_refusal(original=original, leave=leave, from_date=from_date, today=timezone.localdate())
    if refusal:
        raise TransitionNotAllowed(refusal)
    pending = ServiceRequest.objects.filter(
        kind=KIND.slug, leave_cancellation__original=original, status__in=(*PENDING_DECISION_STATUSES, RequestStatus.CHANGES_REQUESTED),
    ).first()
    if pending is not None:
        raise TransitionNotAllowed(_("A cancellation of this leave is already waiting for a decision (%(reference)s).") % {
            "reference": pending.reference})
    if from_date is not None and from_date <= leave.start_date:
        from_date = None  # back on the first day: nothing of the leave remains
    cancellation = request_submit(applicant=actor, kind=KIND,
                                  details=LeaveCancellation(original=original, from_date=from_date, reason=comment))
    _record(original, action=EventAction.CANCELLATION_REQUESTED, actor=actor, from_status=original.status,
            comment=f"{cancellation.reference}: {comment}" if comment else cancellation.reference)
    return cancellation


def leave_cancellation_settle(*, cancellation: ServiceRequest, event: RequestEvent) -> None:
    """Apply the final event of a cancellation request to its leave (runs inside that event's transaction).

    Approved: the leave is cancelled, or ends the day before `from_date` with its working days
    counted again. Rejected or withdrawn: the leave stays approved, and its timeline says so.
    """
    from services.kinds.leave import LeaveRequest
    from services.kinds.leave_cancellation import LeaveCancellation, shortened_working_days

    details = LeaveCancellation.objects.get(request=cancellation)
    original = _locked(details.original)
    authority = {"actor": event.actor, "on_behalf_of": event.on_behalf_of, "delegation": event.delegation}
    if event.action == EventAction.REJECTED:
        _record(original, action=EventAction.CANCELLATION_REFUSED, from_status=original.status,
                comment=f"{cancellation.reference}: {event.comment}" if event.comment else cancellation.reference, **authority)
        return
    if event.action == EventAction.WITHDRAWN:
        _record(original, action=EventAction.CANCELLATION_WITHDRAWN, actor=event.actor, from_status=original.status,
                comment=cancellation.reference)
        return
    if original.status != RequestStatus.APPROVED:
        raise TransitionNotAllowed(_("The leave %(reference)s is no longer approved (it is %(status)s); reject this cancellation.") % {
            "reference": original.reference, "status": original.get_status_display()})
    previous = original.status
    if details.from_date is None:
        original.status = RequestStatus.CANCELLED
        original.save(update_fields=["status", "updated_at"])
        _record(original, action=EventAction.CANCELLED, from_status=previous, comment=cancellation.reference, **authority)
    else:
        leave = LeaveRequest.objects.select_related("request__applicant").get(request=original)
        if not leave.start_date < details.from_date <= leave.end_date:
            raise TransitionNotAllowed(_("The leave %(reference)s now runs from %(start)s to %(end)s; shortening it from %(date)s "
                                         "no longer fits. Reject this cancellation.") % {
                "reference": original.reference, "start": leave.start_date.strftime("%d.%m.%Y"),
                "end": leave.end_date.strftime("%d.%m.%Y"), "date": details.from_date.strftime("%d.%m.%Y")})
        working_days = shortened_working_days(leave, details.from_date)
        if working_days <= 0:
            raise TransitionNotAllowed(_("No working day of leave would remain; reject this cancellation."))
        old_end = leave.end_date
        leave.end_date = details.new_end_date
        leave.half_day_end = False
        leave.working_days = working_days
        leave.save(update_fields=["end_date", "half_day_end", "working_days"])
        original.save(update_fields=["updated_at"])
        _record(original, action=EventAction.SHORTENED, from_status=previous, comment=(
            f"{cancellation.reference}: {leave.start_date:%d.%m.%Y} – {old_end:%d.%m.%Y} → "
            f"{leave.start_date:%d.%m.%Y} – {leave.end_date:%d.%m.%Y}"), **authority)
    # The applicant hears of the outcome once, through the decision on the cancellation request itself.
