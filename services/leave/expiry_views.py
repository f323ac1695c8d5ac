"""The pages of the leave expiry notice: the person's own notice, and HR's proof as CSV."""

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.http import private_response
from portal.mfa import mfa_setup_redirect, require_reauthentication
from portal.security_log import security_event
from services import permissions
from services.leave import expiry, rules
from services.leave.forms import LeaveNoticeProofForm
from services.leave.models import LeaveExpiryNotice
from services.views.audit import neutralise


@never_cache
@login_required
@require_GET
def leave_expiry_notice(http_request: HttpRequest, pk: int) -> HttpResponse:
    """The person's own notice; opening it records that it was read. Anyone else's does not exist (404)."""
    notice = expiry.get_notice_for_user_or_none(http_request.user, pk)
    if notice is None:
        security_event("access_refused", request=http_request, object="leave_expiry_notice", pk=pk, reason="not visible")
        raise Http404("No such notice.")
    notice = expiry.leave_expiry_notice_mark_read(notice=notice)
    return private_response(render(http_request, "services/leave/expiry_notice.html", {
        "notice": notice, "year_end": datetime.date(notice.year, 12, 31),
        "next_deadline": rules.carry_over_deadline(notice.year + 1)}))


def _time(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def proof_header() -> list[str]:
    return [_("Personnel number"), _("Name"), _("E-mail"), _("Unit"), _("Year"), _("Round"), _("Carried-over days left"),
            _("Carried-over leave expires unless started by"), _("Days of the year's own leave left"),
            _("Delivered in the portal"), _("Sent by e-mail"), _("Opened")]


def proof_row(notice: LeaveExpiryNotice) -> list[str]:
    employee = notice.employee
    cells = [employee.personnel_number, employee.get_full_name(), employee.email, employee.unit.code if employee.unit else "",
             notice.year, notice.round, notice.carried_over_days, notice.carry_over_deadline.isoformat(),
             notice.current_year_days, _time(notice.delivered_at), _time(notice.emailed_at), _time(notice.read_at)]
    return [neutralise(cell) for cell in cells]


class _Echo:
    def write(self, value: str) -> str:
        return value


def proof_csv_lines(notices: Iterable[LeaveExpiryNotice], *, language: str) -> Iterator[str]:
    """UTF-8 with byte order mark and ";" as German Excel expects, like the audit export."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    with translation.override(language):
        yield "\ufeff" + writer.writerow([neutralise(cell) for cell in proof_header()])
        for notice in notices:
            yield writer.writerow(proof_row(notice))


def _reviewer_checks(http_request: HttpRequest) -> HttpResponse | None:
    """404 for everyone without `review_personnel`; then a second factor and a recent re-authentication, as for
    the audit export."""
    if not permissions.personnel_review_paths(http_request.user):
        raise Http404("No such page.")
    if refusal := mfa_setup_redirect(http_request):
        return refusal
    require_reauthentication(http_request)
    return None


def _proof_form_page(http_request: HttpRequest, form: LeaveNoticeProofForm) -> HttpResponse:
    return private_response(render(http_request, "services/leave/expiry_proof_form.html", {"form": form}))


@never_cache
@login_required
@require_GET
def leave_expiry_notice_proof(http_request: HttpRequest) -> HttpResponse:
    """HR's page for the proof: which year, which person, then the CSV."""
    if refusal := _reviewer_checks(http_request):
        return refusal
    return _proof_form_page(http_request, LeaveNoticeProofForm(initial={"year": timezone.localdate().year}))


@never_cache
@login_required
@require_GET
def leave_expiry_notice_export(http_request: HttpRequest) -> HttpResponse:
    """HR's proof: every notice of a year (`?year=`, this year by default) for the units they review, optionally of
    one person (`?person=` personnel number). A year that is not one is shown on the form, at its field."""
    if refusal := _reviewer_checks(http_request):
        return refusal
    form = LeaveNoticeProofForm(http_request.GET)
    if not form.is_valid():
        response = _proof_form_page(http_request, form)
        response.status_code = 400
        return response
    year, person = form.cleaned_data["year"], form.cleaned_data["person"]
    notices = expiry.notices_for_personnel_review(http_request.user, year=year, personnel_number=person)
    security_event("leave_notice_proof_exported", request=http_request, year=year, person=person or None,
                   notices=notices.count())
    response = StreamingHttpResponse(proof_csv_lines(notices.iterator(), language=translation.get_language()),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leave-expiry-notices-{year}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)
