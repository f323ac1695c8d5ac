"""Read queries of the request domain; each returns a queryset with a fixed number of SQL queries."""

import datetime
import heapq
from collections.abc import Iterator

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import User
from services.kinds import registry
from services.models import AuditEvent, EventAction, RequestEvent, ServiceRequest
from services.permissions import forwarded_to, requests_decidable_by
from services.statuses import OPEN_STATUSES, PENDING_DECISION_STATUSES, RequestStatus

# The queue's age filter goes back at most this far (a century): beyond, datetime arithmetic overflows.
MAX_QUEUE_AGE_DAYS = 100 * 366


def requests_of_applicant(user: User, *, status: str | None = None) -> QuerySet[ServiceRequest]:
    # One's own requests are always visible to oneself: asking the "everything visible" question (decidable, acted
    # on, on one's behalf) only to keep one's own would cost a city-wide subquery per page.
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


class QueueOrder(models.TextChoices):
    """How the queue is sorted: by how long requests have waited, or by the first day they concern."""

    OLDEST = "oldest", _("Waiting longest first")
    NEWEST = "newest", _("Newest first")
    FIRST_DAY = "first_day", _("First day soonest")


QUEUE_ORDERINGS = {
    QueueOrder.OLDEST: ("submitted_at", "pk"),
    QueueOrder.NEWEST: ("-submitted_at", "-pk"),
    QueueOrder.FIRST_DAY: ("queue_first_day", "submitted_at", "pk"),
}


def _queue_matches(user: User, *, kind: str | None = None, status: str | None = None, unit_code: str | None = None,
                   older_than_days: int | None = None, unit_path: str | None = None,
                   order: str = QueueOrder.OLDEST) -> QuerySet[ServiceRequest]:
    """The requests the user may decide now, narrowed and ordered, without the tables a list shows beside them."""
    queryset = requests_decidable_by(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status in PENDING_DECISION_STATUSES:
        queryset = queryset.filter(status=status)
    if unit_code:
        queryset = queryset.filter(unit__code=unit_code)
    if unit_path:
        queryset = queryset.filter(unit__path__startswith=unit_path)
    if older_than_days is not None and older_than_days > 0:
        # Nothing in the queue is older than the portal: a larger age (99999999999) asks for the same.
        older_than_days = min(older_than_days, MAX_QUEUE_AGE_DAYS)
        queryset = queryset.filter(submitted_at__lt=timezone.now() - datetime.timedelta(days=older_than_days))
    ordering = QUEUE_ORDERINGS.get(order, QUEUE_ORDERINGS[QueueOrder.OLDEST])
    if order == QueueOrder.FIRST_DAY:
        queryset = queryset.annotate(queue_first_day=registry.first_day_expression())
    return queryset.order_by(*ordering)


def _with_queue_details(queryset: QuerySet[ServiceRequest], user: User) -> QuerySet[ServiceRequest]:
    # The typed detail rows hang off the request one-to-one; joining every kind's keeps a list at one query.
    return queryset.annotate(forwarded_to_user=forwarded_to(user)).select_related(
        "applicant", "unit", *registry.detail_relations())


def queue_for(user: User, *, kind: str | None = None, status: str | None = None, unit_code: str | None = None,
              older_than_days: int | None = None, unit_path: str | None = None,
              order: str = QueueOrder.OLDEST) -> QuerySet[ServiceRequest]:
    """The requests the user may decide now, oldest first (or in `order`), optionally narrowed; one query however long.

    `unit_path` narrows to a unit and every unit below it; each request carries `forwarded_to_user` (the case was
    forwarded to the user by name).
    """
    matches = _queue_matches(user, kind=kind, status=status, unit_code=unit_code, older_than_days=older_than_days,
                             unit_path=unit_path, order=order)
    return _with_queue_details(matches, user)


class DetailsForTheSlice:
    """A list of requests for a paginator: counted and sliced on the bare matches, joined to the applicant, the unit
    and every kind's detail table only for the rows of the slice taken.

    Joining first and limiting after would join every match of a city-wide queue (13,000 pending requests of a
    department at a million) to each detail table before keeping 25; this way a page costs two index-backed queries.
    """

    def __init__(self, matches: QuerySet[ServiceRequest], details) -> None:
        self.matches, self.details = matches, details

    def count(self) -> int:
        return self.matches.count()

    def count_up_to(self, limit: int) -> int:
        return self.matches.order_by()[:limit].count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key:key + 1][0]
        ids = list(self.matches[key].values_list("pk", flat=True))
        rows = {row.pk: row for row in self.details(ServiceRequest.objects.filter(pk__in=ids))}
        return [rows[pk] for pk in ids if pk in rows]


def queue_listing(user: User, **filters) -> DetailsForTheSlice:
    """The queue page's list (the same requests as queue_for, in the same order), joined page by page."""
    return DetailsForTheSlice(_queue_matches(user, **filters), lambda queryset: _with_queue_details(queryset, user))


# --- Decisions taken (the holder's "decided" list) -------------------------------------------------------

class DecisionOutcome(models.TextChoices):
    """What a decision did, for the filter of the list of decisions."""

    APPROVED = "approved", _("Approved (or a step of it)")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    FORWARDED = "forwarded", _("Forwarded")


OUTCOME_ACTIONS = {
    DecisionOutcome.APPROVED: (EventAction.APPROVED, EventAction.STEP_APPROVED),
    DecisionOutcome.REJECTED: (EventAction.REJECTED,),
    DecisionOutcome.CHANGES_REQUESTED: (EventAction.CHANGES_REQUESTED,),
    DecisionOutcome.FORWARDED: (EventAction.FORWARDED,),
}
DECISION_ACTIONS = tuple(action for actions in OUTCOME_ACTIONS.values() for action in actions)


class DecidedBy(models.TextChoices):
    """Whose decisions the list shows: the person's own, or those others took on the person's behalf."""

    ME = "me", _("Me")
    ON_MY_BEHALF = "on_my_behalf", _("Anyone on my behalf (delegate or substitute)")


def _decisions_concerning(user: User) -> QuerySet[RequestEvent]:
    if not user.is_authenticated:
        return RequestEvent.objects.none()
    return RequestEvent.objects.filter(Q(actor=user) | Q(on_behalf_of=user), action__in=DECISION_ACTIONS)


def decisions_of(user: User, *, decided_by: str | None = None, actor_id: int | None = None, kind: str | None = None,
                 start: datetime.date | None = None, end: datetime.date | None = None,
                 outcome: str | None = None) -> QuerySet[RequestEvent]:
    """The decisions and forwards the user took, and those taken on the user's behalf (by a delegate or the
    out-of-office substitute), newest first; always the user's own: nobody asks for another person's list.

    `decided_by` narrows to the user's own or to those on their behalf, `actor_id` to one person who decided on
    their behalf, `start`..`end` to the days (local time, both included). One query however long.
    """
    events = _decisions_concerning(user)
    if decided_by == DecidedBy.ME:
        events = events.filter(actor=user)
    elif decided_by == DecidedBy.ON_MY_BEHALF:
        events = events.filter(on_behalf_of=user).exclude(actor=user)
    if actor_id is not None:
        events = events.filter(on_behalf_of=user, actor_id=actor_id)
    if kind:
        events = events.filter(request__kind=kind)
    if start is not None:
        events = events.filter(created_at__gte=_local_midnight(start))
    if end is not None:
        events = events.filter(created_at__lt=_local_midnight(end + datetime.timedelta(days=1)))
    if outcome in OUTCOME_ACTIONS:
        events = events.filter(action__in=OUTCOME_ACTIONS[outcome])
    related = [f"request__{relation}" for relation in registry.detail_relations()]
    return events.select_related("request__applicant", "request__unit", "actor", "on_behalf_of", *related).order_by(
        "-created_at", "-pk")


def deciders_on_behalf_of(user: User) -> QuerySet[User]:
    """The people who decided something on the user's behalf, by name (the choices of the list's filter)."""
    actors = _decisions_concerning(user).filter(on_behalf_of=user).exclude(actor=user).values("actor_id")
    return User.objects.filter(pk__in=actors).order_by("last_name", "first_name", "pk")


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
