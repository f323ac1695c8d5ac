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
from guardian.shortcuts import assign_perm

from portal.models import User
from portal.security_log import security_event
from services import permissions
from services.attachments import attachment_create
from services.kinds import RequestKind
from services.models import EventAction, RequestEvent, ServiceRequest, ServiceRequestUserPermission
from services.notifications.messages import messages_of_one_change, notify_applicant, notify_approvers, notify_substitute
from services.questions import extra_answers_attach_files
from services.statuses import PENDING_DECISION_STATUSES, RequestStatus, Step, allows


class TransitionNotAllowed(Exception):
    """The request is not in a state that allows this change; the message says why, for the person.

    `field` names the input the refusal is about ("comment", "email"), so that a form can mark that field;
    None when the refusal concerns the request as a whole.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Decision:
    action: EventAction
    status: RequestStatus


DECISIONS = {
    "approve": Decision(EventAction.APPROVED, RequestStatus.APPROVED),
    "reject": Decision(EventAction.REJECTED, RequestStatus.REJECTED),
    "request_changes": Decision(EventAction.CHANGES_REQUESTED, RequestStatus.CHANGES_REQUESTED),
}


def lock_request(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def record_event(request: ServiceRequest, *, action: EventAction, actor: User, from_status: str, comment: str = "",
                 on_behalf_of: User | None = None, delegation=None, step: int | None = None,
                 authority: str = "") -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, action=action, actor=actor, on_behalf_of=on_behalf_of, delegation=delegation, authority=authority,
        from_status=from_status, to_status=request.status,
        step=request.current_step if step is None else step, comment=comment,
    )


def _log_decision(event: RequestEvent, *, decision: str, **fields) -> None:
    """The security log's line for a decision or forward, written once the transaction that recorded it commits."""
    line = {"decision": decision, "reference": event.request.reference, "step": event.step, "authority": event.authority,
            "on_behalf_of": event.on_behalf_of.email if event.on_behalf_of else None,
            "delegation": event.delegation_id, **fields}
    transaction.on_commit(lambda: security_event("decision", user=event.actor, **line))


def _settled(request: ServiceRequest, event: RequestEvent) -> None:
    """Let the request's kind act on its final outcome (e.g. a cancellation shortens its leave)."""
    kind = request.kind_entry
    if kind is not None and kind.on_settled is not None:
        kind.on_settled(request, event)


def _reference_prefix(created_at) -> str:
    """The reference as it is inserted: "KD-<year>-", the year as people in the city read the clock (not UTC: on New
    Year's night they differ). The database completes it in the same INSERT with the row's id, six digits at least
    (the trigger of migration 0015), so that one INSERT files the request, whoever else files one at that moment."""
    return f"KD-{timezone.localtime(created_at):%Y}-"


def _complete_reference(request: ServiceRequest) -> None:
    """What the database made of the prefix, without asking it again: the id is known once the row is in."""
    request.reference = f"{request.reference}{request.pk:06d}"


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
        now = timezone.now()
        draft = ServiceRequest.objects.create(
            kind=kind.slug, applicant=applicant, unit_id=applicant.unit_id, service_page=service_page, draft_data=data,
            created_at=now, reference=_reference_prefix(now),
        )
        _complete_reference(draft)
    else:
        draft = lock_request(draft)
        if draft.applicant_id != applicant.pk or draft.kind != kind.slug:
            raise TransitionNotAllowed(_("This draft belongs to another service."))
        if not allows(Step.SAVE_DRAFT, draft.status):
            raise TransitionNotAllowed(_("This request is no longer a draft and cannot be saved as one."))
        draft.draft_data = data
        draft.save(update_fields=["draft_data", "updated_at"])
    _store_attachments(draft, files, applicant)
    record_event(draft, action=EventAction.DRAFT_SAVED, actor=applicant, from_status=RequestStatus.DRAFT)
    return draft


@transaction.atomic
@messages_of_one_change()
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
        request = ServiceRequest(
            kind=kind.slug, applicant=applicant, unit=applicant.unit, service_page=service_page,
            status=RequestStatus.SUBMITTED, submitted_at=now, current_step=1, extra_answers=extra_answers or {},
            step_plan=kind.step_plan_for(service_page), created_at=now, reference=_reference_prefix(now),
        )
        # Routed in the INSERT already (the step's permission, or held for the substitute), so that routing and
        # `_await_substitute_if_asked` change nothing more.
        if _substitute_to_confirm(request, details) is not None:
            _hold_for_substitute(request)
        else:
            request.step_permission = _step_permission(request)
        request.save(force_insert=True)
        _complete_reference(request)
    else:
        request = lock_request(draft)
        if request.applicant_id != applicant.pk or request.kind != kind.slug:
            raise TransitionNotAllowed(_("This draft belongs to another service."))
        if not allows(Step.SUBMIT, request.status):
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
    kind.complete_details(details, applicant=applicant)
    # A new detail row shares the request's id: without force_insert Django would first try an UPDATE of it.
    details.save(force_insert=details._state.adding)
    _await_substitute_if_asked(request, details)
    _store_attachments(request, files, applicant)
    _store_answer_files(request, extra_files, applicant)
    record_event(request, action=EventAction.SUBMITTED, actor=applicant, from_status=RequestStatus.DRAFT)
    notify_applicant(request=request, action=EventAction.SUBMITTED)
    # Never pending before, so never forwarded to anyone.
    _route_or_ask_substitute(request, details, actor=applicant, forwarded=False)
    return request


@transaction.atomic
@messages_of_one_change()
def request_resubmit(*, request: ServiceRequest, actor: User, details: models.Model,
                     files: Iterable[UploadedFile] = (), comment: str = "", extra_answers: dict | None = None,
                     extra_files: Mapping[str, UploadedFile] | None = None) -> ServiceRequest:
    """Send a request back to the approvers after the applicant made the changes they asked for.

    `extra_answers`, when given, replaces the snapshot of the extra questions and their answers.
    """
    request = lock_request(request)
    if request.applicant_id != actor.pk:
        raise TransitionNotAllowed(_("Only the applicant can change and resubmit this request."))
    if not allows(Step.RESUBMIT, request.status):
        raise TransitionNotAllowed(_("Only a request sent back for changes can be resubmitted."))
    previous = request.status
    details.request = request
    request.kind_entry.complete_details(details, applicant=request.applicant)
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
    record_event(request, action=EventAction.RESUBMITTED, actor=actor, from_status=previous, comment=comment)
    notify_applicant(request=request, action=EventAction.RESUBMITTED)
    _route_or_ask_substitute(request, details, actor=actor)
    return request


@transaction.atomic
def request_withdraw(*, request: ServiceRequest, actor: User, comment: str = "") -> ServiceRequest:
    """The applicant takes back a request before it has been decided."""
    request = lock_request(request)
    if request.applicant_id != actor.pk:
        raise TransitionNotAllowed(_("Only the applicant can withdraw this request."))
    if not allows(Step.WITHDRAW, request.status):
        raise TransitionNotAllowed(_("This request can no longer be withdrawn: it is %(status)s.") % {
            "status": request.get_status_display()})
    previous = request.status
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    ServiceRequestUserPermission.objects.filter(content_object=request).delete()
    _settled(request, record_event(request, action=EventAction.WITHDRAWN, actor=actor, from_status=previous, comment=comment))
    return request


@transaction.atomic
def request_discard_draft(*, request: ServiceRequest, actor: User) -> None:
    """Delete a draft that was never submitted; nothing of it was ever seen by anyone else."""
    request = lock_request(request)
    if request.applicant_id != actor.pk or not allows(Step.DISCARD, request.status):
        raise TransitionNotAllowed(_("Only your own drafts can be deleted."))
    files = [(attachment.file.storage, attachment.file.name) for attachment in request.attachments.all()]
    request.delete()
    # Files are not part of the transaction: remove them only once the rows are really gone.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


class AlreadyDecided(TransitionNotAllowed):
    """Someone else settled this step first; the message names who and when."""


def _step_permission(request: ServiceRequest) -> str:
    """The permission deciding the request's current step ("" when it is at no step of its kind)."""
    kind = request.kind_entry
    steps = kind.steps_for(request) if kind else ()
    return steps[request.current_step - 1].permission if 1 <= request.current_step <= len(steps) else ""


def _route(request: ServiceRequest, *, actor: User, forwarded: bool = True) -> None:
    """Point the request at its current step's permission; flag it for the fallback queue when nobody holds it.

    A forward ends when the step moves on; `forwarded=False` says the request never had one (just filed).
    """
    permission = _step_permission(request)
    if request.step_permission != permission or request.unassigned:
        request.step_permission = permission
        request.unassigned = False
        request.save(update_fields=["step_permission", "unassigned", "updated_at"])
    if forwarded:
        ServiceRequestUserPermission.objects.filter(content_object=request).delete()
    if not permission:
        return
    # Who may decide is answered once per change; the approvers' message goes to exactly these people.
    deciders = permissions.entitled_user_ids(request)
    if not deciders:
        request.unassigned = True
        request.save(update_fields=["unassigned", "updated_at"])
        record_event(request, action=EventAction.UNASSIGNED, actor=actor, from_status=request.status)
        notify_applicant(request=request, action=EventAction.UNASSIGNED)
    else:
        notify_approvers(request=request, user_ids=deciders)


# --- The named substitute confirms first (kinds that ask for it: leave types with `substitute_must_confirm`) ---

def _substitute_to_confirm(request: ServiceRequest, details: models.Model | None) -> User | None:
    """Who must confirm before the approvers see the request, as its kind answers."""
    kind = request.kind_entry
    return kind.substitute_to_confirm(details) if kind is not None and details is not None else None


def _await_substitute_if_asked(request: ServiceRequest, details: models.Model) -> None:
    """Hold a just (re)submitted request back from the approvers while its substitute has not confirmed.

    The request waits in its own status, at step 0 and with no step permission, so that no queue,
    decision check or approver notification can reach it until `request_substitute_confirm`.
    """
    if request.status == RequestStatus.AWAITING_SUBSTITUTE or _substitute_to_confirm(request, details) is None:
        return  # held already when it was written (a new request), or nobody to ask
    _hold_for_substitute(request)
    request.save(update_fields=["status", "current_step", "step_permission", "unassigned", "updated_at"])
    ServiceRequestUserPermission.objects.filter(content_object=request).delete()


def _hold_for_substitute(request: ServiceRequest) -> None:
    request.status = RequestStatus.AWAITING_SUBSTITUTE
    request.current_step = 0
    request.step_permission = ""
    request.unassigned = False


def _route_or_ask_substitute(request: ServiceRequest, details: models.Model, *, actor: User,
                             forwarded: bool = True) -> None:
    if request.status != RequestStatus.AWAITING_SUBSTITUTE:
        _route(request, actor=actor, forwarded=forwarded)
        return
    substitute = _substitute_to_confirm(request, details)
    record_event(request, action=EventAction.SUBSTITUTE_ASKED, actor=actor, from_status=request.status, comment=str(substitute))
    notify_substitute(request=request)


def _locked_for_substitute(request: ServiceRequest, actor: User) -> ServiceRequest:
    """The locked request, if `actor` is its named substitute and it still waits for them; refused otherwise."""
    request = lock_request(request)
    kind = request.kind_entry
    substitute = kind.substitute_of(request.details) if kind is not None else None
    if request.applicant_id == actor.pk:
        raise TransitionNotAllowed(_("Your substitute has to confirm this themselves."))
    if substitute is None or substitute.pk != actor.pk:
        raise TransitionNotAllowed(_("Only the substitute named in this request can confirm or decline it."))
    if not allows(Step.ANSWER_AS_SUBSTITUTE, request.status):
        raise TransitionNotAllowed(_("This request no longer waits for your confirmation: it is %(status)s.") % {
            "status": request.get_status_display()})
    return request


@transaction.atomic
@messages_of_one_change()
def request_substitute_confirm(*, request: ServiceRequest, actor: User, comment: str = "") -> ServiceRequest:
    """The named substitute agrees to cover: the request goes to the approvers of its first step."""
    request = _locked_for_substitute(request, actor)
    previous = request.status
    request.status = RequestStatus.SUBMITTED
    request.current_step = 1
    request.save(update_fields=["status", "current_step", "updated_at"])
    record_event(request, action=EventAction.SUBSTITUTE_CONFIRMED, actor=actor, from_status=previous, comment=comment)
    notify_applicant(request=request, action=EventAction.SUBSTITUTE_CONFIRMED)
    _route(request, actor=actor)
    return request


@transaction.atomic
@messages_of_one_change()
def request_substitute_decline(*, request: ServiceRequest, actor: User, comment: str) -> ServiceRequest:
    """The named substitute cannot cover: the request goes back to the applicant, who may name someone else and resubmit."""
    if not comment.strip():
        raise TransitionNotAllowed(_("Give a reason so that your colleague knows what to do."), field="comment")
    request = _locked_for_substitute(request, actor)
    previous = request.status
    request.status = RequestStatus.CHANGES_REQUESTED
    request.save(update_fields=["status", "updated_at"])
    record_event(request, action=EventAction.SUBSTITUTE_DECLINED, actor=actor, from_status=previous, comment=comment)
    notify_applicant(request=request, action=EventAction.SUBSTITUTE_DECLINED)
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


def settled_message(request: ServiceRequest) -> str:
    """Who acted on the request last and when, for someone whose own decision came too late."""
    last = RequestEvent.objects.filter(request=request).select_related("actor").order_by("-created_at", "-pk").first()
    if last is None:
        return _("This request is no longer awaiting your decision. Nothing of yours was saved.")
    return _("%(person)s already acted on this request (%(action)s, %(when)s). Nothing of yours was saved.") % {
        "person": last.actor, "action": last.get_action_display(),
        "when": timezone.localtime(last.created_at).strftime("%d.%m.%Y %H:%M:%S")}


def _refuse_settled(request: ServiceRequest) -> None:
    raise AlreadyDecided(settled_message(request))


@transaction.atomic
@messages_of_one_change()
def request_decide(*, request: ServiceRequest, actor: User, decision: str, comment: str = "",
                   expected_step: int | None = None) -> ServiceRequest:
    """Approve, reject or send back the current step of a pending request.

    Who may decide is answered by services.permissions; the authority found there (own
    responsibility, delegation, substitution, forward) is recorded with the decision. Approving a
    step that is not the last routes the request to the next step.
    """
    if decision not in DECISIONS:
        raise TransitionNotAllowed(_("Unknown decision."))
    outcome = DECISIONS[decision]
    if outcome.status in (RequestStatus.REJECTED, RequestStatus.CHANGES_REQUESTED) and not comment.strip():
        raise TransitionNotAllowed(_("Give a reason so that the applicant knows what to do."), field="comment")
    request = lock_request(request)
    if request.applicant_id == actor.pk:
        raise TransitionNotAllowed(_("Nobody can decide their own request."))
    if not allows(Step.DECIDE, request.status) or (expected_step is not None and request.current_step != expected_step):
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
        event = record_event(request, action=EventAction.STEP_APPROVED, actor=actor, from_status=previous, comment=comment,
                             on_behalf_of=authority.on_behalf_of, delegation=authority.delegation,
                             authority=authority.kind, step=request.current_step - 1)
        _log_decision(event, decision=decision)
        _route(request, actor=actor)
        notify_applicant(request=request, action=EventAction.STEP_APPROVED)
        return request
    changes = {"status": outcome.status}
    if outcome.status in (RequestStatus.APPROVED, RequestStatus.REJECTED):
        changes["decided_at"] = timezone.now()
    _claim(request, expected_step=expected_step, changes=changes)
    request.refresh_from_db()
    event = record_event(request, action=outcome.action, actor=actor, from_status=previous, comment=comment,
                         on_behalf_of=authority.on_behalf_of, delegation=authority.delegation, authority=authority.kind)
    _log_decision(event, decision=decision)
    if outcome.status in (RequestStatus.APPROVED, RequestStatus.REJECTED):
        _settled(request, event)
    ServiceRequestUserPermission.objects.filter(content_object=request).delete()
    notify_applicant(request=request, action=outcome.action)
    return request


@transaction.atomic
@messages_of_one_change()
def request_forward(*, request: ServiceRequest, actor: User, to: User, comment: str = "",
                    expected_step: int | None = None) -> ServiceRequest:
    """Pass this one case to a named colleague, who may then decide its current step (until it moves on)."""
    request = lock_request(request)
    if not allows(Step.DECIDE, request.status) or (expected_step is not None and request.current_step != expected_step):
        _refuse_settled(request)
    authority = permissions.forwarding_authority(actor, request)
    if authority is None:
        raise TransitionNotAllowed(_("You may not forward this request."))
    if to.pk in (actor.pk, request.applicant_id) or not to.is_active:
        raise TransitionNotAllowed(_("Forward the request to an active colleague other than yourself and the applicant."),
                                   field="email")
    assign_perm(f"services.{permissions.FORWARDED_CODENAME}", to, request)
    event = record_event(request, action=EventAction.FORWARDED, actor=actor, from_status=request.status,
                         on_behalf_of=authority.on_behalf_of, delegation=authority.delegation, authority=authority.kind,
                         comment=(f"→ {to}: {comment}" if comment else f"→ {to}"))
    _log_decision(event, decision="forward", forwarded_to=to.email)
    notify_approvers(request=request, user_ids=[to.pk])
    return request
