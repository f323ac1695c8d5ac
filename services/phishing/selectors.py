"""The phishing lists: a reporter's own reports, IT security's cases."""

from dataclasses import dataclass

from django.db.models import Count, F, Max, QuerySet

from portal.models import User
from services.phishing.models import PhishingCase, PhishingReport


def reports_of(user: User) -> QuerySet[PhishingReport]:
    """The user's own reports, newest first, each with its case (its outcome and who reported first)."""
    return PhishingReport.objects.filter(reporter=user).select_related("case").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class ReportCounts:
    """A reporter's reports as a request's states: waiting for IT security, or decided (the case classified)."""

    waiting: int
    decided: int

    @property
    def total(self) -> int:
        return self.waiting + self.decided


def report_counts_querysets(user: User) -> dict[str, QuerySet[PhishingReport]]:
    """The user's reports that wait for IT security and those that have an outcome, to be counted (`ReportCounts`'s
    fields): for a page that reads them together with other counts (portal.counting)."""
    reports = PhishingReport.objects.filter(reporter=user)
    return {"waiting": reports.filter(case__classification=""), "decided": reports.exclude(case__classification="")}


def open_cases() -> QuerySet[PhishingCase]:
    """Cases no one in IT security has classified yet: IT security's queue."""
    return PhishingCase.objects.filter(classification="")


def cases_for_triage(*, open_only: bool = False) -> QuerySet[PhishingCase]:
    """Every case with the number of reports and the latest one; unclassified first, then newest first."""
    cases = PhishingCase.objects.select_related("first_reporter", "classified_by").annotate(
        report_count=Count("reports"), last_reported_at=Max("reports__created_at"))
    if open_only:
        cases = cases.filter(classification="")
    return cases.order_by(F("classified_at").desc(nulls_first=True), "-last_reported_at", "-pk")


def reports_of_case(case: PhishingCase) -> QuerySet[PhishingReport]:
    return case.reports.select_related("reporter").order_by("created_at", "pk")
