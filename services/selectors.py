"""Read queries of the request domain; each returns a queryset with a fixed number of SQL queries."""

import datetime
import heapq
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from portal.models import User
from services.models import (
    OPEN_STATUSES,
    PENDING_DECISION_STATUSES,
    AuditEvent,
    Notification,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from services.permissions import requests_decidable_by, requests_visible_to


def requests_of_applicant(user: User, *, status: str | None = None) -> QuerySet[ServiceRequest]:
    queryset = requests_visible_to(user).filter(applicant=user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related(*DETAIL_RELATIONS).order_by("-created_at", "-pk")


def open_requests_of_applicant(user: User) -> QuerySet[ServiceRequest]:
    return requests_of_applicant(user).filter(status__in=[*OPEN_STATUSES, RequestStatus.DRAFT])


def request_timeline(request: ServiceRequest):
    return request.events.select_related("actor", "on_behalf_of").order_by("created_at", "pk")


# The typed detail rows hang off the request one-to-one; joining them keeps a list at one query.
DETAIL_RELATIONS = ("leave", "leave__leave_type", "remote_work", "vpn_access", "equipment_loan", "leave_cancellation__original", "generic")


def queue_for(user: User, *, kind: str | None = None, status: str | None = None, unit_code: str | None = None,
              older_than_days: int | None = None) -> QuerySet[ServiceRequest]:
    """The requests the user may decide now, oldest first, optionally narrowed; one query however long."""
    queryset = requests_decidable_by(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status in PENDING_DECISION_STATUSES:
        queryset = queryset.filter(status=status)
    if unit_code:
        queryset = queryset.filter(unit__code=unit_code)
    if older_than_days is not None and older_than_days > 0:
        queryset = queryset.filter(submitted_at__lt=timezone.now() - datetime.timedelta(days=older_than_days))
    return queryset.select_related("applicant", "unit", *DETAIL_RELATIONS).order_by("submitted_at", "pk")


# --- Notifications ------------------------------------------------------------------------------------

def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications in the portal, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notification_count(user: User) -> int:
    """One COUNT query; nothing at all for visitors who are not logged in."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- Audit ----------------------------------------------------------------------------------------------

AUDIT_CHUNK_SIZE = 1000


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events_between(start: datetime.date, end: datetime.date) -> Iterator[RequestEvent | AuditEvent]:
    """Every request event and audit event from `start` to `end` (both days included, local time), oldest first.

    The two tables are read with server-side iterators and merged on the fly, so a long period is
    never held in memory at once; two queries in all (plus one per chunk where the database needs it).
    """
    since, until = _local_midnight(start), _local_midnight(end + datetime.timedelta(days=1))
    request_events = (
        RequestEvent.objects.filter(created_at__gte=since, created_at__lt=until)
        .select_related("request", "actor", "on_behalf_of").order_by("created_at", "pk")
        .iterator(chunk_size=AUDIT_CHUNK_SIZE)
    )
    audit_events = (
        AuditEvent.objects.filter(created_at__gte=since, created_at__lt=until)
        .select_related("actor", "on_behalf_of").order_by("created_at", "pk")
        .iterator(chunk_size=AUDIT_CHUNK_SIZE)
    )
    return heapq.merge(request_events, audit_events,
                       key=lambda event: (event.created_at, isinstance(event, AuditEvent), event.pk))


# --- Team absences ------------------------------------------------------------------------------------

def team_members(unit) -> QuerySet[User]:
    """The active people of one unit (not of the units below it), by name."""
    return User.objects.filter(unit=unit, is_active=True).only("first_name", "last_name", "email", "unit_id").order_by(
        "last_name", "first_name", "pk")


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def approved_absences(*, units=None, applicants=None, start: datetime.date, end: datetime.date):
    """Approved leave overlapping `start`..`end`, of members of `units` (a queryset) or of `applicants`.

    Only the period is read — never the type of leave, the note or the substitute — so that what
    colleagues see of each other's absence cannot carry more than "absent".
    """
    from services.kinds.leave import LeaveRequest

    queryset = LeaveRequest.objects.filter(
        request__kind="leave", request__status=RequestStatus.APPROVED, request__applicant__is_active=True,
        start_date__lte=end, end_date__gte=start,
    )
    if units is not None:
        queryset = queryset.filter(request__applicant__unit__in=units)
    if applicants is not None:
        queryset = queryset.filter(request__applicant__in=applicants)
    return queryset.select_related("request__applicant").only(
        "request_id", "start_date", "end_date", "half_day_start", "half_day_end",
        "request__reference", "request__updated_at", "request__decided_at", "request__applicant_id",
        "request__applicant__first_name", "request__applicant__last_name", "request__applicant__email",
        "request__applicant__preferred_language",
    ).order_by("start_date", "request_id")


def team_absences(*, unit, year: int, month: int):
    """Approved leave of the unit's people overlapping the month: one query, however large the team."""
    first, last = _month_bounds(year, month)
    return approved_absences(units=[unit], start=first, end=last)


def public_holiday_names(state: str | None, start: datetime.date, end: datetime.date, *, language: str = "de") -> dict:
    """Public holidays between start and end (both included) in a federal state, with their names."""
    import holidays

    if not state:
        return {}
    names = holidays.country_holidays("DE", subdiv=state, years=range(start.year, end.year + 1),
                                      language="de" if language.startswith("de") else "en_US")
    return {day: name for day, name in sorted(names.items()) if start <= day <= end}


def crowded_absence_days(*, request: ServiceRequest, share: float) -> list[datetime.date]:
    """Working days of a leave request on which more than `share` of the applicant's unit would be absent.

    Counts the applicant and everyone in the same unit with approved leave that day (half days
    included); weekends and the applicant's public holidays do not count. Three queries.
    """
    leave = getattr(request, "leave", None)
    applicant = request.applicant
    if request.kind != "leave" or leave is None or applicant.unit_id is None:
        return []
    team_size = User.objects.filter(unit_id=applicant.unit_id, is_active=True).count()
    if team_size == 0:
        return []
    others = [
        (absence.request.applicant_id, absence.start_date, absence.end_date)
        for absence in approved_absences(units=[applicant.unit_id], start=leave.start_date, end=leave.end_date)
        if absence.request.applicant_id != applicant.pk
    ]
    holidays = public_holiday_names(applicant.federal_state, leave.start_date, leave.end_date)
    crowded = []
    day = leave.start_date
    while day <= leave.end_date:
        if day.isoweekday() <= 5 and day not in holidays:
            absent = {applicant.pk} | {person for person, start, end in others if start <= day <= end}
            if len(absent) / team_size > share:
                crowded.append(day)
        day += datetime.timedelta(days=1)
    return crowded


def open_cancellation_of(leave_request: ServiceRequest) -> ServiceRequest | None:
    """The cancellation of this leave that still waits for a decision or for changes, if any."""
    return ServiceRequest.objects.filter(
        kind="leave_cancellation", leave_cancellation__original=leave_request,
        status__in=(*PENDING_DECISION_STATUSES, RequestStatus.CHANGES_REQUESTED),
    ).order_by("-pk").first()
