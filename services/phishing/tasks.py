"""Telling reporters the outcome of their report, by e-mail and in the portal (services.notifications)."""

from django.urls import reverse
from django_tasks import task

from services.notifications.messages import deliver
from services.phishing.models import Classification, PhishingCase, PhishingReport
from services.phishing.parsing import defang_text


@task()
def notify_phishing_outcome(*, case_id: int, report_ids: list[int]) -> int:
    """One message to each reporter of the given reports (once per person), with IT security's classification."""
    case = PhishingCase.objects.filter(pk=case_id).exclude(classification="").first()
    if case is None:
        return 0
    reporters = {report.reporter_id: report.reporter
                 for report in PhishingReport.objects.filter(case=case, pk__in=report_ids).select_related("reporter")}
    sent = 0
    for reporter in reporters.values():
        if not reporter.is_active:
            continue
        # deliver() renders in the reporter's language, so the lazy label is translated there.
        sent += deliver(recipient=reporter, template="phishing_outcome", path=reverse("phishing:my_reports"),
                        context={"case": case, "title": defang_text(case.title), "outcome": Classification(case.classification).label,
                                 "note": defang_text(case.classification_note), "first": case.first_reporter_id == reporter.pk})
    return sent
