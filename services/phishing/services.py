"""Reporting and classifying: each a single transaction that records itself in the security log.

A report joins the case that already holds one of its indicators (its sender, one of its links, its
subject), or opens a new one whose first reporter it credits. Classifying a case tells every reporter
of it the outcome; whoever reports to a case already classified hears the outcome at once.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.security_log import security_event
from services.phishing import parsing
from services.phishing.models import Classification, IndicatorKind, PhishingCase, PhishingIndicator, PhishingReport, ReportKind
from services.phishing.permissions import user_may_triage_phishing
from services.phishing.tasks import notify_phishing_outcome


@dataclass(frozen=True)
class ReportContent:
    """What a report holds, already checked by the form (links are normalised http(s) addresses)."""

    kind: ReportKind
    sender: str = ""
    subject: str = ""
    links: tuple[str, ...] = ()
    headers: str = ""
    file_name: str = ""
    note: str = ""


def report_indicators(content: ReportContent) -> list[tuple[str, str]]:
    """The (kind, value) pairs a report is grouped by."""
    indicators = []
    sender = parsing.normalize_sender(content.sender) if content.sender else ""
    if sender:
        indicators.append((IndicatorKind.SENDER, sender))
    subject = parsing.normalize_subject(content.subject) if content.subject else ""
    if subject:
        indicators.append((IndicatorKind.SUBJECT, subject))
    indicators += [(IndicatorKind.LINK, link) for link in dict.fromkeys(content.links)]
    return indicators


def _case_title(content: ReportContent) -> str:
    if content.subject:
        return content.subject[:300]
    if content.links:
        return parsing.defang(content.links[0])[:300]
    return parsing.defang(content.sender)[:300]


@transaction.atomic
def phishing_report_create(*, reporter: User, content: ReportContent) -> PhishingReport:
    """File a report, grouped with every earlier report that shares a sender, a link or a subject."""
    indicators = report_indicators(content)
    if not indicators:
        raise ValidationError(_("Give at least the sender, the subject or a link."))
    if any(not link.startswith(("http://", "https://")) for link in content.links):
        raise ValidationError(_("Only web addresses that begin with http:// or https:// can be reported."))
    existing = list(PhishingIndicator.objects.select_for_update().filter(_indicator_filter(indicators))
                    .values_list("case_id", flat=True))
    if existing:
        # Several cases may match (the sender of one, the link of another): the oldest one takes the report.
        case = PhishingCase.objects.select_for_update().filter(pk__in=existing).order_by("created_at", "pk").first()
        created = False
    else:
        case = PhishingCase.objects.create(title=_case_title(content), first_reporter=reporter)
        created = True
    report = PhishingReport.objects.create(
        case=case, reporter=reporter, kind=content.kind, sender=content.sender[:1000], subject=content.subject[:500],
        links=list(content.links), headers=content.headers, file_name=content.file_name[:200], note=content.note)
    known = set(PhishingIndicator.objects.filter(_indicator_filter(indicators)).values_list("kind", "value"))
    PhishingIndicator.objects.bulk_create(
        [PhishingIndicator(case=case, kind=kind, value=value) for kind, value in indicators if (kind, value) not in known],
        ignore_conflicts=True)
    transaction.on_commit(lambda: security_event(
        "phishing_reported", user=reporter, case=case.pk, report=report.pk, kind=str(content.kind), new_case=created,
        links=len(content.links)))
    if case.classification:
        transaction.on_commit(lambda: notify_phishing_outcome.enqueue(case_id=case.pk, report_ids=[report.pk]))
    return report


def _indicator_filter(indicators: list[tuple[str, str]]) -> Q:
    condition = Q(pk__in=[])
    for kind, value in indicators:
        condition |= Q(kind=kind, value=value)
    return condition


@transaction.atomic
def phishing_case_classify(*, case: PhishingCase, actor: User, classification: Classification, note: str = "") -> PhishingCase:
    """IT security marks the case, and every reporter of it is told ("mark and notify").

    A case may be classified again (a simulation recognised later); each reporter then hears the new outcome.
    """
    if not user_may_triage_phishing(actor):
        raise PermissionDenied(_("Only IT security classifies reports."))
    if classification not in Classification.values:
        raise ValidationError(_("Choose a classification."))
    case = PhishingCase.objects.select_for_update().get(pk=case.pk)
    previous = case.classification
    case.classification = classification
    case.classification_note = note.strip()[:2000]
    case.classified_by = actor
    case.classified_at = timezone.now()
    case.save(update_fields=["classification", "classification_note", "classified_by", "classified_at"])
    report_ids = list(case.reports.values_list("pk", flat=True))
    transaction.on_commit(lambda: security_event(
        "phishing_classified", user=actor, case=case.pk, classification=str(classification), previous=previous or None,
        reporters_notified=len(report_ids)))
    transaction.on_commit(lambda: notify_phishing_outcome.enqueue(case_id=case.pk, report_ids=report_ids))
    return case
