"""Cancelling approved leave: a request of its own, decided by the same approvers as the leave.

Design: a cancellation is a separate ServiceRequest of the unlisted kind "leave_cancellation" whose
typed row points at the approved leave request (`original`) and says from which day on the leave
is no longer wanted (`from_date`; empty means the whole leave). It goes through the ordinary
workflow — submitted, routed to whoever holds `decide_leave` on the applicant's unit, decided,
withdrawn — so queues, delegations, substitutes, notifications and the audit trail need nothing new,
and the lifecycle of the leave itself keeps its shared statuses. Only when the cancellation is
approved does the leave change (to CANCELLED, or a shorter period), through the kind's `on_settled`
hook (`cancellation_settle`, in the transaction that decided it); a refusal leaves it approved.
Both requests record what happened on their own timeline.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from portal.models import User
from services.kinds import registry
from services.leave import days
from services.leave.models import LeaveCancellation, LeaveRequest
from services.models import EventAction, RequestEvent, ServiceRequest
from services.statuses import PENDING_DECISION_STATUSES, RequestStatus, Step, allows
from services.workflow import TransitionNotAllowed, lock_request, record_event, request_submit

LEAVE = "leave"
LEAVE_CANCELLATION = "leave_cancellation"
# A cancellation still open: waiting for a decision, or sent back to the applicant for changes.
OPEN_CANCELLATION_STATUSES = (*PENDING_DECISION_STATUSES, RequestStatus.CHANGES_REQUESTED)


def cancellation_refusal(*, original: ServiceRequest, leave, from_date: datetime.date | None,
                         today: datetime.date) -> str | None:
    """Why this cancellation may not be asked for (a sentence for the person), or None when it may.

    Leave that has not started can be cancelled whole or from any of its days on. Leave that has
    started can only be shortened, from tomorrow at the earliest: days already taken stay taken.
    """
    if original.kind != LEAVE or leave is None:
        return gettext("Only leave requests can be cancelled this way.")
    if not allows(Step.CANCEL, original.status):
        return gettext("Only approved leave can be cancelled; this request is %(status)s.") % {
            "status": original.get_status_display()}
    started = leave.start_date <= today
    if from_date is None or from_date <= leave.start_date:
        if started:
            return gettext("This leave began on %(start)s, so it can no longer be cancelled as a whole; "
                           "shorten it from %(tomorrow)s or later instead.") % {
                "start": leave.start_date.strftime("%d.%m.%Y"),
                "tomorrow": (today + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}
        if from_date is not None and from_date < leave.start_date:
            return gettext("The day you are back must not be before the first day of leave (%(start)s).") % {
                "start": leave.start_date.strftime("%d.%m.%Y")}
        return None
    if from_date <= today:
        return gettext("Leave can only be shortened from a future day, that is from %(tomorrow)s on.") % {
            "tomorrow": (today + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}
    if from_date > leave.end_date:
        return gettext("The leave ends on %(end)s; a day after that shortens nothing.") % {
            "end": leave.end_date.strftime("%d.%m.%Y")}
    if shortened_working_days(leave, from_date) <= 0:
        return gettext("No working day of leave would remain; cancel the whole leave instead.")
    return None


def shortened_working_days(leave: LeaveRequest, from_date: datetime.date) -> Decimal:
    """The working days the leave counts when it ends the day before `from_date` (the one rule of services.leave.days)."""
    return days.working_days(employee=leave.request.applicant, start=leave.start_date,
                             end=from_date - datetime.timedelta(days=1), half_day_start=leave.half_day_start)


def open_cancellation_of(leave_request: ServiceRequest) -> ServiceRequest | None:
    """The cancellation of this leave that still waits for a decision or for changes, if any."""
    return ServiceRequest.objects.filter(
        kind=LEAVE_CANCELLATION, leave_cancellation__original=leave_request, status__in=OPEN_CANCELLATION_STATUSES,
    ).order_by("-pk").first()


@transaction.atomic
def request_cancel(*, request: ServiceRequest, actor: User, from_date=None, comment: str = "") -> ServiceRequest:
    """The applicant asks to cancel approved leave as a whole, or to shorten it from `from_date` on.

    Files a leave_cancellation request that the leave's approvers decide; the leave itself stays
    approved until they do. Refused for leave that is not approved, for days already begun, and
    while another cancellation of the same leave is open.
    """
    original = lock_request(request)
    if original.applicant_id != actor.pk:
        raise TransitionNotAllowed(_("Only the applicant can cancel this leave."))
    leave = LeaveRequest.objects.filter(request=original).first()
    refusal = cancellation_refusal(original=original, leave=leave, from_date=from_date, today=timezone.localdate())
    if refusal:
        raise TransitionNotAllowed(refusal)
    pending = open_cancellation_of(original)
    if pending is not None:
        raise TransitionNotAllowed(_("A cancellation of this leave is already waiting for a decision (%(reference)s).") % {
            "reference": pending.reference})
    if from_date is not None and from_date <= leave.start_date:
        from_date = None  # back on the first day: nothing of the leave remains
    cancellation = request_submit(applicant=actor, kind=registry.get(LEAVE_CANCELLATION),
                                  details=LeaveCancellation(original=original, from_date=from_date, reason=comment))
    record_event(original, action=EventAction.CANCELLATION_REQUESTED, actor=actor, from_status=original.status,
                 comment=f"{cancellation.reference}: {comment}" if comment else cancellation.reference)
    return cancellation


def cancellation_settle(*, cancellation: ServiceRequest, event: RequestEvent) -> None:
    """Apply the final event of a cancellation request to its leave (runs inside that event's transaction).

    Approved: the leave is cancelled, or ends the day before `from_date` with its working days
    counted again. Rejected or withdrawn: the leave stays approved, and its timeline says so.
    """
    details = LeaveCancellation.objects.get(request=cancellation)
    original = lock_request(details.original)
    authority = {"actor": event.actor, "on_behalf_of": event.on_behalf_of, "delegation": event.delegation}
    if event.action == EventAction.REJECTED:
        record_event(original, action=EventAction.CANCELLATION_REFUSED, from_status=original.status,
                     comment=f"{cancellation.reference}: {event.comment}" if event.comment else cancellation.reference, **authority)
        return
    if event.action == EventAction.WITHDRAWN:
        record_event(original, action=EventAction.CANCELLATION_WITHDRAWN, actor=event.actor, from_status=original.status,
                     comment=cancellation.reference)
        return
    if not allows(Step.CANCEL, original.status):
        raise TransitionNotAllowed(_("The leave %(reference)s is no longer approved (it is %(status)s); reject this cancellation.") % {
            "reference": original.reference, "status": original.get_status_display()})
    previous = original.status
    if details.from_date is None:
        original.status = RequestStatus.CANCELLED
        original.save(update_fields=["status", "updated_at"])
        record_event(original, action=EventAction.CANCELLED, from_status=previous, comment=cancellation.reference, **authority)
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
        record_event(original, action=EventAction.SHORTENED, from_status=previous, comment=(
            f"{cancellation.reference}: {leave.start_date:%d.%m.%Y} – {old_end:%d.%m.%Y} → "
            f"{leave.start_date:%d.%m.%Y} – {leave.end_date:%d.%m.%Y}"), **authority)
    # The applicant hears of the outcome once, through the decision on the cancellation request itself.
