"""Retention: finished requests and what hangs off them go once their period is over.

Rules, as implemented (the periods are settings, see portal/settings/base.py, section "Retention"):

- Only finished requests ever go (approved, rejected, withdrawn, cancelled); drafts and open requests stay.
- A period in years runs from the end of the year in which the request closed. A request closes with the
  last thing that happened to it (its last event, its decision, its last change). An approved request whose
  kind has a period (leave, remote work, VPN access, equipment loan) closes no earlier than the period's last
  day; an approved arrangement without an end stays. Leave: RETENTION_LEAVE_YEARS, everything else:
  RETENTION_REQUEST_YEARS. With three years, leave taken and decided in 2026 goes on 1 January 2030.
- A leave request and the requests to cancel or shorten it are one record: they go together, once every
  one of them has closed and its period is over.
- Approved annual leave stays as long as the leave ledger counts it (its last day in or after
  LEAVE_LEDGER_START_YEAR), so that every balance the portal still shows adds up. Such requests are counted
  as "kept for the leave ledger"; they go once the city moves the ledger's first year past them.
- A request goes with its typed details, events, attachments (the files once the removal has committed),
  per-request permissions and notifications, in one transaction per request: a run that is interrupted
  leaves each request either untouched or fully removed, and the next run carries on.
- Notifications go RETENTION_NOTIFICATION_DAYS after they were sent, whatever became of their request.
- Audit events (who was given or passed which responsibility) are deleted, not anonymised, after
  RETENTION_AUDIT_YEARS counted like the requests' years, except those of a delegation that was still in
  force at the start of that year. Their actor cannot be left empty, and a record of authority with the
  names taken out would say nothing.
- The trust channels, in days (KUMMERKASTEN_RETENTION_DAYS, PHISHING_RETENTION_DAYS,
  SURVEY_FREE_TEXT_RETENTION_DAYS), each a record kept for that many full days after the day it closed:
  - a Kummerkasten message with its whole conversation and attachments, once it has been closed for that long
    (open and answered messages stay: the writer may still come back with the code);
  - a phishing case with its reports, indicators and warnings, once it was classified and neither the
    classification nor any report is younger; an unclassified case stays (it waits for IT security), and so does
    a case whose warning page has not been published yet while that page exists (the alert would otherwise
    never go up). A published warning page and the site-wide alert are the editors' content and stay;
  - the free texts of a pulse survey round, as written and as released, once the round has closed and its last
    day is that long past. The scores stay: they name nobody (round and unit only) and are only ever shown
    aggregated above the k-threshold, and the trend over rounds needs them;
  - the coffee kitchen keeps only presences that have not ended; a run also removes ended ones that nobody's
    visit to the kitchen has cleared yet (services.coffee).
- The run is recorded as one security log line (`retention_applied`) with counts only.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.security_log import security_event
from services.coffee.selectors import ended as ended_coffee_presences
from services.coffee.services import coffee_presence_purge_expired
from services.kinds import registry
from services.kummerkasten.models import KummerkastenMessage, KummerkastenPost, MessageStatus
from services.leave.cancellation import LEAVE, LEAVE_CANCELLATION
from services.models import (
    Attachment,
    AuditEvent,
    Notification,
    RequestEvent,
    ServiceRequest,
    ServiceRequestUserPermission,
)
from services.phishing.models import PhishingCase, PhishingReport, PhishingWarning
from services.statuses import FINAL_STATUSES, RequestStatus
from services.surveys.models import FreeTextStatus, SurveyAnswer

# What a run reports, in this order.
RECORD_TYPES = ("leave_requests", "other_requests", "request_events", "attachments", "notifications", "audit_events",
                "kummerkasten_messages", "kummerkasten_posts", "phishing_cases", "phishing_reports", "survey_free_texts",
                "coffee_presences", "kept_for_leave_ledger")
SETTINGS = ("RETENTION_LEAVE_YEARS", "RETENTION_REQUEST_YEARS", "RETENTION_NOTIFICATION_DAYS", "RETENTION_AUDIT_YEARS",
            "KUMMERKASTEN_RETENTION_DAYS", "PHISHING_RETENTION_DAYS", "SURVEY_FREE_TEXT_RETENTION_DAYS")


@dataclass(frozen=True)
class RetentionRules:
    leave_years: int
    request_years: int
    notification_days: int
    audit_years: int
    ledger_start_year: int
    kummerkasten_days: int
    phishing_days: int
    survey_free_text_days: int


def retention_rules() -> RetentionRules:
    """The periods from the settings, checked: each a positive whole number, the audit trail not shorter than the requests."""
    values = {}
    for name in SETTINGS:
        value = getattr(settings, name, None)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ImproperlyConfigured(f"{name} must be a positive whole number, not {value!r}.")
        values[name] = value
    if values["RETENTION_AUDIT_YEARS"] < max(values["RETENTION_LEAVE_YEARS"], values["RETENTION_REQUEST_YEARS"]):
        raise ImproperlyConfigured("RETENTION_AUDIT_YEARS must not be shorter than RETENTION_LEAVE_YEARS and RETENTION_REQUEST_YEARS.")
    return RetentionRules(leave_years=values["RETENTION_LEAVE_YEARS"], request_years=values["RETENTION_REQUEST_YEARS"],
                          notification_days=values["RETENTION_NOTIFICATION_DAYS"], audit_years=values["RETENTION_AUDIT_YEARS"],
                          ledger_start_year=settings.LEAVE_LEDGER_START_YEAR,
                          kummerkasten_days=values["KUMMERKASTEN_RETENTION_DAYS"], phishing_days=values["PHISHING_RETENTION_DAYS"],
                          survey_free_text_days=values["SURVEY_FREE_TEXT_RETENTION_DAYS"])


def first_kept_day(years: int, *, today: datetime.date) -> datetime.date:
    """1 January of the first year still kept: what closed before it has been kept `years` full years after its year."""
    return datetime.date(today.year - years, 1, 1)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _closed_before(cutoff: datetime.datetime) -> Q:
    """Finished, and nothing happened to the request from `cutoff` on (to be used on ServiceRequest)."""
    later_event = RequestEvent.objects.filter(request=OuterRef("pk"), created_at__gte=cutoff)
    return (Q(status__in=FINAL_STATUSES, updated_at__lt=cutoff) & (Q(decided_at__isnull=True) | Q(decided_at__lt=cutoff))
            & ~Exists(later_event))


def _period_over(kind, day: datetime.date) -> Q:
    """For kinds with a period: an approved request's last day lies before `day` (an open-ended one never does)."""
    if "end_date" not in {field.name for field in kind.model._meta.get_fields()}:
        return Q()
    return ~Q(status=RequestStatus.APPROVED) | Q(**{f"{kind.relation}__end_date__lt": day})


def _in_leave_ledger(rules: RetentionRules) -> Q:
    """Approved annual leave the ledger still books (services.leave.ledger counts from the ledger's first year)."""
    return Q(kind=LEAVE, status=RequestStatus.APPROVED, leave__leave_type__deducts_from_balance=True,
             leave__end_date__gte=datetime.date(rules.ledger_start_year, 1, 1))


def _expired(rules: RetentionRules, today: datetime.date) -> Q:
    """The requests (leave cancellations aside: they go with their leave) whose period is over."""
    condition = Q(pk__in=[])
    for kind in registry.all():
        if kind.slug == LEAVE_CANCELLATION:
            continue
        day = first_kept_day(rules.leave_years if kind.slug == LEAVE else rules.request_years, today=today)
        condition |= Q(kind=kind.slug) & _closed_before(_midnight(day)) & _period_over(kind, day)
    leave_day = _midnight(first_kept_day(rules.leave_years, today=today))
    open_cancellation = (ServiceRequest.objects.filter(kind=LEAVE_CANCELLATION, leave_cancellation__original=OuterRef("pk"))
                         .exclude(_closed_before(leave_day)))
    return condition & ~Exists(open_cancellation)


def expired_requests(*, rules: RetentionRules, today: datetime.date) -> QuerySet[ServiceRequest]:
    """The requests to remove now, each with the cancellations that point to it."""
    return ServiceRequest.objects.filter(_expired(rules, today)).exclude(_in_leave_ledger(rules)).order_by("pk")


def requests_kept_for_ledger(*, rules: RetentionRules, today: datetime.date) -> QuerySet[ServiceRequest]:
    """Approved annual leave whose period is over but which the leave ledger still counts."""
    return ServiceRequest.objects.filter(_expired(rules, today) & _in_leave_ledger(rules))


def expired_notifications(*, rules: RetentionRules, now: datetime.datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(created_at__lt=now - datetime.timedelta(days=rules.notification_days))


def expired_audit_events(*, rules: RetentionRules, today: datetime.date) -> QuerySet[AuditEvent]:
    cutoff = _midnight(first_kept_day(rules.audit_years, today=today))
    ended = Q(delegation__isnull=True) | Q(delegation__ends_at__lt=cutoff) | Q(delegation__revoked_at__lt=cutoff)
    return AuditEvent.objects.filter(ended, created_at__lt=cutoff)


# --- The trust channels ------------------------------------------------------------------------------


def expired_kummerkasten_messages(*, rules: RetentionRules, today: datetime.date) -> QuerySet[KummerkastenMessage]:
    """Messages a handler closed more than `kummerkasten_days` full days ago."""
    return KummerkastenMessage.objects.filter(status=MessageStatus.CLOSED,
                                              closed_on__lt=today - datetime.timedelta(days=rules.kummerkasten_days))


def expired_phishing_cases(*, rules: RetentionRules, now: datetime.datetime) -> QuerySet[PhishingCase]:
    """Classified cases whose classification and every report are older than `phishing_days` days, and whose warning
    (if any) was published or has lost its page."""
    cutoff = now - datetime.timedelta(days=rules.phishing_days)
    recent_report = PhishingReport.objects.filter(case=OuterRef("pk"), created_at__gte=cutoff)
    waiting_warning = PhishingWarning.objects.filter(case=OuterRef("pk"), published_at__isnull=True, page__isnull=False)
    return (PhishingCase.objects.exclude(classification="").filter(classified_at__lt=cutoff)
            .exclude(Exists(recent_report)).exclude(Exists(waiting_warning)))


def expired_survey_free_texts(*, rules: RetentionRules, today: datetime.date) -> QuerySet[SurveyAnswer]:
    """Answers of closed rounds, last day more than `survey_free_text_days` full days ago, that still hold a free text."""
    return SurveyAnswer.objects.filter(
        round__closed=True, round__last_day__lt=today - datetime.timedelta(days=rules.survey_free_text_days),
    ).filter(~Q(free_text="") | ~Q(free_text_redacted="") | ~Q(free_text_status=FreeTextStatus.NONE))


def _channel_counts(rules: RetentionRules, now: datetime.datetime, today: datetime.date) -> Counter:
    messages = expired_kummerkasten_messages(rules=rules, today=today)
    cases = expired_phishing_cases(rules=rules, now=now)
    return Counter({
        "kummerkasten_messages": messages.count(),
        "kummerkasten_posts": KummerkastenPost.objects.filter(message__in=messages.values("pk")).count(),
        "phishing_cases": cases.count(),
        "phishing_reports": PhishingReport.objects.filter(case__in=cases.values("pk")).count(),
        "survey_free_texts": expired_survey_free_texts(rules=rules, today=today).count(),
        "coffee_presences": ended_coffee_presences(at=now).count(),
    })


def channels_remove_expired(*, rules: RetentionRules, now: datetime.datetime, today: datetime.date) -> Counter:
    """Remove what the trust channels no longer keep, in one transaction: the same records `_channel_counts` counts."""
    with transaction.atomic():
        counts = _channel_counts(rules, now, today)
        # Deleting the message takes its posts (and their attachments, kept in the rows) with it.
        KummerkastenMessage.objects.filter(pk__in=list(expired_kummerkasten_messages(rules=rules, today=today)
                                                      .values_list("pk", flat=True))).delete()
        # Deleting the case takes its reports, indicators and warning rows; a warning's page stays.
        PhishingCase.objects.filter(pk__in=list(expired_phishing_cases(rules=rules, now=now).values_list("pk", flat=True))).delete()
        expired_survey_free_texts(rules=rules, today=today).update(
            free_text="", free_text_redacted="", free_text_status=FreeTextStatus.NONE)
        counts["coffee_presences"] = coffee_presence_purge_expired(at=now)
    return counts


def _with_cancellations(requests: QuerySet[ServiceRequest] | list[int]) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(Q(pk__in=requests) | Q(kind=LEAVE_CANCELLATION, leave_cancellation__original__in=requests))


def _counts_of(members: QuerySet[ServiceRequest]) -> Counter:
    kinds = Counter(members.values_list("kind", flat=True))
    leave = kinds[LEAVE] + kinds[LEAVE_CANCELLATION]
    return Counter({
        "leave_requests": leave,
        "other_requests": sum(kinds.values()) - leave,
        "request_events": RequestEvent.objects.filter(request__in=members).count(),
        "attachments": Attachment.objects.filter(request__in=members).count(),
        "notifications": Notification.objects.filter(request__in=members).count(),
    })


@dataclass(frozen=True)
class RetentionReport:
    dry_run: bool
    counts: dict[str, int]


def _remove_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def request_remove_expired(*, request_id: int, rules: RetentionRules, today: datetime.date) -> Counter:
    """Remove one expired request with its cancellations, details, events, attachments, permissions and notifications.

    One transaction: either all of it goes or nothing does. The request is locked and checked again, so a
    request that changed since it was chosen (or went in an earlier run) is left alone. The attachments'
    files are removed once the transaction has committed.
    """
    with transaction.atomic():
        root = ServiceRequest.objects.select_for_update().filter(pk=request_id).first()
        if root is None or not expired_requests(rules=rules, today=today).filter(pk=request_id).exists():
            return Counter()
        members = list(_with_cancellations([root.pk]).order_by("pk"))
        member_ids = [member.pk for member in members]
        counts = _counts_of(ServiceRequest.objects.filter(pk__in=member_ids))
        files = [name for name in Attachment.objects.filter(request__in=member_ids).values_list("file", flat=True) if name]
        Notification.objects.filter(request__in=member_ids).delete()
        Attachment.objects.filter(request__in=member_ids).delete()
        RequestEvent.objects.filter(request__in=member_ids).erase_expired()
        ServiceRequestUserPermission.objects.filter(content_object__in=member_ids).delete()
        # The cancellations first: the leave they point to cannot go while they exist.
        for member in sorted(members, key=lambda member: member.pk == root.pk):
            member.delete()
        transaction.on_commit(lambda: _remove_files(files))
    return counts


def retention_apply(*, dry_run: bool = False, now: datetime.datetime | None = None) -> RetentionReport:
    """Remove (or, with `dry_run`, only count) everything whose retention period is over; returns the counts.

    Running it again removes nothing more: what is left is still within its period.
    """
    rules = retention_rules()
    now = now or timezone.now()
    today = timezone.localdate(now)
    expired = expired_requests(rules=rules, today=today)
    counts: Counter = Counter()
    if dry_run:
        members = _with_cancellations(expired.values("pk"))
        counts += _counts_of(members)
        counts["notifications"] += expired_notifications(rules=rules, now=now).exclude(request__in=members.values("pk")).count()
        counts["audit_events"] = expired_audit_events(rules=rules, today=today).count()
        counts += _channel_counts(rules, now, today)
    else:
        for request_id in list(expired.values_list("pk", flat=True)):
            counts += request_remove_expired(request_id=request_id, rules=rules, today=today)
        with transaction.atomic():
            counts["notifications"] += expired_notifications(rules=rules, now=now).delete()[0]
            counts["audit_events"] = expired_audit_events(rules=rules, today=today).erase_expired()
        counts += channels_remove_expired(rules=rules, now=now, today=today)
    counts["kept_for_leave_ledger"] = requests_kept_for_ledger(rules=rules, today=today).count()
    report = RetentionReport(dry_run=dry_run, counts={name: counts.get(name, 0) for name in RECORD_TYPES})
    security_event("retention_applied", dry_run=dry_run, **report.counts)
    return report
