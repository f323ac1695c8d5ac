"""Read queries of the request domain; each returns a queryset with a fixed number of SQL queries."""

import datetime
import heapq
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from portal.models import User
from services.kinds import registry
from services.models import AuditEvent, RequestEvent, ServiceRequest
from services.permissions import requests_decidable_by
from services.statuses import OPEN_STATUSES, PENDING_DECISION_STATUSES, RequestStatus

# The queue's age filter goes back at most this far (a century): beyond, datetime arithmetic overflows.
MAX_QUEUE_AGE_DAYS = 100 * 366


def requests_of_applicant(user: User, *, status: str | None = None) -> QuerySet[ServiceRequest]:
    """The user's own requests: always visible to them, so asked directly, not through everything they may see."""
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    queryset = ServiceRequest.objects.filter(applicant=user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related(*registry.detail_relations()).order_by("-created_at", "-pk")


def open_requests_of_applicant(user: User) -> QuerySet[ServiceRequest]:
    return requests_of_applicant(user).filter(status__in=[*OPEN_STATUSES, RequestStatus.DRAFT])


def request_timeline(request: ServiceRequest):
    return request.events.select_related("actor", "on_behalf_of").order_by("created_at", "pk")


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
        # Nothing in the queue is older than the portal: a larger age (99999999999) asks for the same.
        older_than_days = min(older_than_days, MAX_QUEUE_AGE_DAYS)
        queryset = queryset.filter(submitted_at__lt=timezone.now() - datetime.timedelta(days=older_than_days))
    # The typed detail rows hang off the request one-to-one; joining every kind's keeps a list at one query.
    return queryset.select_related("applicant", "unit", *registry.detail_relations()).order_by("submitted_at", "pk")


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
