"""The phishing pages: report, my reports, and IT security's cases with the classification.

Every sender and address is shown defanged and as text, never as a link (templates use the `defang`
filter of services_tags). IT security's pages need a second factor, like every page that decides.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.http import private_response
from portal.mfa import mfa_setup_redirect
from services.phishing import permissions, selectors
from services.phishing import services as phishing_services
from services.phishing.forms import ClassificationForm, PhishingReportForm
from services.phishing.models import Classification


@never_cache
@login_required
@require_GET
def my_reports(http_request: HttpRequest) -> HttpResponse:
    return private_response(render(http_request, "services/phishing/my_reports.html", {
        "reports": selectors.reports_of(http_request.user),
        "may_triage": permissions.user_may_triage_phishing(http_request.user),
    }))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report_view(http_request: HttpRequest) -> HttpResponse:
    form = PhishingReportForm(http_request.POST or None, http_request.FILES or None)
    if http_request.method == "POST" and form.is_valid():
        try:
            report = phishing_services.phishing_report_create(reporter=http_request.user, content=form.content())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if report.case.first_reporter_id == http_request.user.pk and report.case.reports.count() == 1:
                messages.success(http_request, _("Thank you: you are the first to report this. IT security will look at it."))
            else:
                messages.success(http_request, _("Thank you: colleagues reported this too, and IT security will tell you all"
                                                 " the outcome."))
            return redirect("phishing:my_reports")
    return private_response(render(http_request, "services/phishing/report.html", {"form": form}))


@never_cache
@login_required
@require_GET
def case_list(http_request: HttpRequest) -> HttpResponse:
    if not permissions.user_may_triage_phishing(http_request.user):
        raise Http404("No such page.")
    refusal = mfa_setup_redirect(http_request)
    if refusal is not None:
        return refusal
    return private_response(render(http_request, "services/phishing/case_list.html", {
        "cases": selectors.cases_for_triage()}))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_detail(http_request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(http_request.user, pk)
    refusal = mfa_setup_redirect(http_request)
    if refusal is not None:
        return refusal
    form = ClassificationForm(http_request.POST or None, initial={
        "classification": case.classification or None, "note": case.classification_note})
    if http_request.method == "POST" and form.is_valid():
        try:
            case = phishing_services.phishing_case_classify(
                case=case, actor=http_request.user, classification=Classification(form.cleaned_data["classification"]),
                note=form.cleaned_data["note"])
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, error.messages[0] if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(http_request, _("Classified as “%(outcome)s”; every reporter is told.")
                             % {"outcome": case.get_classification_display()})
            return redirect("phishing:case_detail", pk=case.pk)
    return private_response(render(http_request, "services/phishing/case_detail.html", {
        "case": case, "reports": selectors.reports_of_case(case), "form": form,
        "indicators": case.indicators.order_by("kind", "value"), "warnings": case.warnings.select_related("page"),
        "may_warn": case.classification == Classification.PHISHING,
    }))
