"""Reminding the people who may decide a request that waits, and telling the holders when it waits much longer.

Rules, as implemented:

- A request waits from the moment it reached its current step (submitted, resubmitted, the previous step
  approved, or the substitute confirmed). Its wait counts full working days after that day up to yesterday:
  Monday to Friday without the public holidays of the applicant's federal state and the city's days off
  (services.leave.days).
- After `REMINDER_AFTER_WORKING_DAYS` (per kind) everyone entitled to decide it now is reminded
  (services.permissions.entitled_users); after `ESCALATION_AFTER_WORKING_DAYS` the holders at the root of their
  authority are told too: for a delegate the holder whose responsibility was delegated, for a substitute the
  holder they stand in for, for someone who holds it themselves (or through a group) that person.
- Barrier reports keep the statutory clock instead (§12b (4) BGG, an answer within a month): the editors who may
  decide them are reminded after `BARRIER_REPORT_REMINDER_DAYS` calendar days (14 and 28).
- Every reminder is recorded (ReminderSent) in the transaction that stores its notification and sends its mail;
  what is recorded is never sent again, so running twice sends nothing twice.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.models import User
from services import permissions
from services.kinds.generic import barrier_report_due, is_barrier_report
from services.leave.days import office_working_days
from services.models import EventAction, RequestEvent, ServiceRequest
from services.notifications.messages import deliver
from services.reminders.models import ReminderReason, ReminderSent
from services.statuses import PENDING_DECISION_STATUSES

# The events after which a request waits for (new) deciders.
ARRIVALS = (EventAction.SUBMITTED, EventAction.RESUBMITTED, EventAction.STEP_APPROVED, EventAction.SUBSTITUTE_CONFIRMED)


@dataclass
class ReminderReport:
    """How many reminders of each reason one run sent."""

    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def limit_for(setting: dict[str, int], kind: str) -> int:
    return setting.get(kind, setting["default"])


def waiting_since(request: ServiceRequest) -> datetime.datetime:
    """When the request reached the step it waits at."""
    arrival = (RequestEvent.objects.filter(request=request, action__in=ARRIVALS)
               .order_by("-created_at", "-pk").values_list("created_at", flat=True).first())
    return arrival or request.submitted_at


def working_days_waited(request: ServiceRequest, since: datetime.datetime, *, today: datetime.date) -> int:
    """Full working days between the day of arrival and today (neither counted)."""
    start = timezone.localdate(since) + datetime.timedelta(days=1)
    end = today - datetime.timedelta(days=1)
    return int(office_working_days(state=request.applicant.federal_state, start=start, end=end))


def root_holders(request: ServiceRequest, deciders: list[User]) -> list[User]:
    """The holders at the root of the authority under which each decider may decide (see the module docstring)."""
    roots: dict[int, User] = {}
    for user in deciders:
        authority = permissions.decision_authority(user, request)
        if authority is None or authority.grant is None:
            continue  # a forwarded case or the administrators' fallback: no holder behind it
        holder = authority.on_behalf_of or user
        if holder.is_active and holder.pk != request.applicant_id:
            roots[holder.pk] = holder
    return [roots[pk] for pk in sorted(roots)]


def _send(*, request: ServiceRequest, recipient: User, reason: ReminderReason, since: datetime.datetime, days: int,
          template: str, context: dict) -> bool:
    """Record and send one reminder unless it was sent for this wait already; True when it was sent now."""
    with transaction.atomic():
        _record, created = ReminderSent.objects.get_or_create(
            request=request, recipient=recipient, reason=reason, waiting_since=since,
            defaults={"step": request.current_step, "days_waited": days})
        if created:
            deliver(recipient=recipient, request=request, template=template,
                    context={"applicant": request.applicant, "days": days, **context})
    return created


def reminders_send(*, today: datetime.date | None = None) -> ReminderReport:
    """Send every reminder and escalation due today and not sent yet (idempotent)."""
    today = today or timezone.localdate()
    report = ReminderReport()
    waiting = (ServiceRequest.objects.filter(status__in=PENDING_DECISION_STATUSES).exclude(step_permission="")
               .select_related("applicant", "unit").order_by("submitted_at", "pk"))
    for request in waiting:
        if is_barrier_report(request):
            _barrier_report_reminders(request, today=today, report=report)
        else:
            _waiting_reminders(request, today=today, report=report)
    return report


def _waiting_reminders(request: ServiceRequest, *, today: datetime.date, report: ReminderReport) -> None:
    since = waiting_since(request)
    days = working_days_waited(request, since, today=today)
    if days < limit_for(settings.REMINDER_AFTER_WORKING_DAYS, request.kind):
        return
    deciders = permissions.entitled_users(request)
    for user in deciders:
        if _send(request=request, recipient=user, reason=ReminderReason.REMINDER, since=since, days=days,
                 template="reminder", context={}):
            report.counts[ReminderReason.REMINDER.value] += 1
    if days < limit_for(settings.ESCALATION_AFTER_WORKING_DAYS, request.kind):
        return
    for holder in root_holders(request, deciders):
        if _send(request=request, recipient=holder, reason=ReminderReason.ESCALATION, since=since, days=days,
                 template="escalation", context={"deciders": deciders}):
            report.counts[ReminderReason.ESCALATION.value] += 1


def _barrier_report_reminders(request: ServiceRequest, *, today: datetime.date, report: ReminderReport) -> None:
    since = request.submitted_at
    days = (today - timezone.localdate(since)).days
    first, second = settings.BARRIER_REPORT_REMINDER_DAYS
    if days >= second:
        reason = ReminderReason.BARRIER_REPORT_28_DAYS
    elif days >= first:
        reason = ReminderReason.BARRIER_REPORT_14_DAYS
    else:
        return
    # Only the latest reminder due: a run that missed day 14 does not send both at once on day 28.
    for user in permissions.entitled_users(request):
        if _send(request=request, recipient=user, reason=reason, since=since, days=days, template="barrier_reminder",
                 context={"answer_due": barrier_report_due(request)}):
            report.counts[reason.value] += 1
