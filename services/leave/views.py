"""The pages of leave: the team calendar and its subscriptions, cancelling leave, the working-days endpoint,
and what the form and the request page show about leave (called through the leave kind's hooks).

Views stay thin: they fetch through services.permissions and services.leave.feeds, validate with
forms and hand every change to the services (services.leave.cancellation, services.leave.feeds).
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from portal import dates
from portal.http import private_response
from portal.models import OrgUnit, User
from services import permissions
from services.leave import absences, days, feeds, ledger, rules
from services.leave import cancellation as cancellation_services
from services.leave.cancellation import LEAVE, open_cancellation_of
from services.leave.forms import LeaveCancellationForm, substitute_candidates
from services.leave.ledger import LeaveBalance
from services.leave.models import CalendarFeedScope, CalendarFeedToken, LeaveCancellation, LeaveRequest, LeaveType
from services.models import ServiceRequest
from services.statuses import FINAL_STATUSES, PENDING_DECISION_STATUSES, RequestStatus
from services.workflow import TransitionNotAllowed

# --- What the leave form and the request page show (the leave kind's hooks) ----------------------------

def days_display(value: Decimal) -> str:
    """"10" or "4,5" in German ("1E+1" is what str(Decimal("10").normalize()) would say)."""
    return number_format(value.quantize(Decimal("1")) if value == value.to_integral_value() else value.normalize())


def _after(balance: LeaveBalance) -> dict:
    return {"year": balance.year, "remaining_after": days_display(balance.remaining)}


def leave_working_days_payload(*, employee: User, start: datetime.date, end: datetime.date, leave_type=None,
                               half_day_start: bool = False, half_day_end: bool = False,
                               exclude_request_id: int | None = None) -> dict:
    """The JSON the leave form asks for while dates are picked: the working days, and the balance after this request.

    Leave that does not count against the annual leave (or no type chosen yet) leaves the balance as it is.
    """
    values = days.employee_daily_values(employee=employee, start=start, end=end, half_day_start=half_day_start,
                                        half_day_end=half_day_end)
    total = sum(values.values(), Decimal("0"))
    deducts = leave_type is None or leave_type.deducts_from_balance
    booking = ledger.Booking(start=start, days_per_year=rules.working_days_per_year(values), approved=False)
    # As of the first day of the leave: carried-over days that expire before it are no longer there for it.
    on = max(timezone.localdate(), start)
    if deducts:
        balances = ledger.leave_balances_after(employee=employee, booking=booking, exclude_request_id=exclude_request_id, on=on)
    else:
        balances = {year: ledger.leave_balance(employee=employee, year=year, exclude_request_id=exclude_request_id, on=on)
                    for year in sorted(booking.days_per_year)}
    rows = [_after(balance) for balance in balances.values()]
    if len(rows) == 1:
        remaining = rows[0]["remaining_after"]
    else:
        remaining = "; ".join(f"{row['year']}: {row['remaining_after']}" for row in rows)
    return {"working_days": days_display(total), "remaining_after": remaining, "balances": rows,
            "deducts_from_balance": deducts}


def leave_form_balance_context(user: User, form, *, target: ServiceRequest | None = None) -> dict:
    """The balance shown on the leave form: this year's, and after "Check working days" the balance after this request."""
    exclude = target.pk if target is not None and target.status != RequestStatus.DRAFT else None
    chosen = _chosen_dates(form, target)
    years = ledger.balance_years(today=timezone.localdate(), start=chosen[0], end=chosen[1])
    context = {"leave_balances": [ledger.leave_balance(employee=user, year=year, exclude_request_id=exclude) for year in years]}
    data = getattr(form, "cleaned_data", None) if form.is_bound and not form.errors else None
    if data and data.get("start_date") and data.get("end_date"):
        payload = leave_working_days_payload(
            employee=user, start=data["start_date"], end=data["end_date"], leave_type=data.get("leave_type"),
            half_day_start=bool(data.get("half_day_start")), half_day_end=bool(data.get("half_day_end")),
            exclude_request_id=exclude)
        if payload["deducts_from_balance"]:
            context["remaining_after"] = payload["remaining_after"]
    return context


def _chosen_dates(form, target: ServiceRequest | None) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day the applicant has entered (as far as they are valid dates), or those of the request changed."""
    data = getattr(form, "cleaned_data", None) or {}
    start, end = data.get("start_date"), data.get("end_date")
    if start is None and not form.is_bound and target is not None:
        details = target.details
        start, end = (details.start_date, details.end_date) if details is not None else (None, None)
    return start, end


def leave_balance_context(user: User, service_request: ServiceRequest) -> dict:
    """For people who may decide a leave request: the applicant's balance in each year the leave touches.

    The request's own days are in "pending" while it waits, so "remaining" is what is left if it is approved.
    """
    if service_request.status in FINAL_STATUSES:
        return {}
    details = service_request.details
    if details is None or permissions.decision_authority(user, service_request) is None:
        return {}
    years = range(details.start_date.year, details.end_date.year + 1)
    return {"applicant_balances": [ledger.leave_balance(employee=service_request.applicant, year=year) for year in years]}


def leave_form_context(http_request: HttpRequest, form, *, target: ServiceRequest | None = None) -> dict:
    """Beside the leave form: the colleagues to name as substitute, the working days once checked, the balance."""
    user: User = http_request.user
    options = substitute_candidates(user)
    working_days = form.working_days() if form.is_bound and not form.errors else None
    return {"substitute_options": options, "working_days": working_days, "offers_check": True,
            **leave_form_balance_context(user, form, target=target)}


def leave_detail_context(http_request: HttpRequest, service_request: ServiceRequest) -> dict:
    """On a leave request's page: cancelling it (the applicant), the team warning and the balance (who may decide it)."""
    user: User = http_request.user
    context = {"can_cancel_leave": permissions.user_can_cancel(user, service_request)}
    if context["can_cancel_leave"]:
        context["open_cancellation"] = open_cancellation_of(service_request)
    if service_request.status in PENDING_DECISION_STATUSES and permissions.decision_authority(user, service_request):
        context["crowded_days"] = absences.crowded_absence_days(request=service_request,
                                                                share=settings.TEAM_ABSENCE_WARNING_SHARE)
        context["absence_warning_share"] = round(settings.TEAM_ABSENCE_WARNING_SHARE * 100)
    return {**context, **leave_balance_context(user, service_request)}


# --- What the approver's queue shows in a row of leave (the leave kinds' queue hooks) ------------------------

def _years(start: datetime.date, end: datetime.date) -> range:
    return range(start.year, end.year + 1)


def leave_queue_context(requests: list[ServiceRequest], *, user: User) -> dict[int, dict]:
    """For each leave request in the queue: the applicant's remaining annual leave in each year it touches (this request
    included, as on its page) and the days on which too much of the team would be away; a fixed number of queries."""
    leave_requests = [request for request in requests if getattr(request, "leave", None) is not None]
    balances = ledger.leave_balances_of({(request.applicant, year) for request in leave_requests
                                         for year in _years(request.leave.start_date, request.leave.end_date)})
    crowded = absences.crowded_absence_days_of(leave_requests, share=settings.TEAM_ABSENCE_WARNING_SHARE)
    return {request.pk: {
        "balances": [balances[(request.applicant.pk, year)] for year in _years(request.leave.start_date, request.leave.end_date)],
        "crowded_days": crowded.get(request.pk, []),
        "absence_warning_share": round(settings.TEAM_ABSENCE_WARNING_SHARE * 100),
        "this_request_included": True,
    } for request in leave_requests}


def cancellation_queue_context(requests: list[ServiceRequest], *, user: User) -> dict[int, dict]:
    """For each cancellation in the queue: the applicant's remaining annual leave in the years of the leave it cancels."""
    originals = {leave.request_id: leave for leave in LeaveRequest.objects.filter(
        request_id__in=[request.leave_cancellation.original_id for request in requests
                        if getattr(request, "leave_cancellation", None) is not None])}
    periods = {request.pk: originals[request.leave_cancellation.original_id] for request in requests
               if getattr(request, "leave_cancellation", None) is not None and request.leave_cancellation.original_id in originals}
    balances = ledger.leave_balances_of({(request.applicant, year) for request in requests if request.pk in periods
                                         for year in _years(periods[request.pk].start_date, periods[request.pk].end_date)})
    return {request.pk: {"balances": [balances[(request.applicant.pk, year)] for year in
                                      _years(periods[request.pk].start_date, periods[request.pk].end_date)]}
            for request in requests if request.pk in periods}


# --- Working days while the form is filled in -----------------------------------------------------------

@login_required
@require_GET
def leave_working_days(http_request: HttpRequest) -> JsonResponse:
    """The working-day count the leave form shows while dates are picked."""
    try:
        start = datetime.date.fromisoformat(http_request.GET.get("start", ""))
        end = datetime.date.fromisoformat(http_request.GET.get("end", ""))
    except ValueError:
        return JsonResponse({"error": _("Enter valid dates.")}, status=400)
    if not (dates.is_in_range(start) and dates.is_in_range(end)):
        return JsonResponse({"error": dates.out_of_range_message()}, status=400)
    if end < start or (end - start).days + 1 > settings.REQUEST_MAX_SPAN_DAYS:
        return JsonResponse({"error": _("The end must not be before the start, and the period at most a year.")}, status=400)
    leave_type = LeaveType.objects.filter(pk=http_request.GET.get("leave_type") or None).first() \
        if (http_request.GET.get("leave_type") or "").isdigit() else None
    return JsonResponse(leave_working_days_payload(
        employee=http_request.user, start=start, end=end, leave_type=leave_type,
        half_day_start=http_request.GET.get("half_day_start") == "true", half_day_end=http_request.GET.get("half_day_end") == "true",
        exclude_request_id=_own_leave_request_id(http_request),
    ))


def _own_leave_request_id(http_request: HttpRequest) -> int | None:
    """The applicant's own request being changed (?request=<reference>), so that its days are not counted twice."""
    reference = http_request.GET.get("request", "")
    if not reference:
        return None
    return ServiceRequest.objects.filter(reference=reference, applicant=http_request.user, kind=LEAVE).values_list(
        "pk", flat=True).first()


# --- Cancelling approved leave --------------------------------------------------------------------------

@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def request_cancel_view(http_request: HttpRequest, reference: str) -> HttpResponse:
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    if not permissions.user_can_cancel(http_request.user, service_request):
        messages.error(http_request, _("Only your own approved leave can be cancelled; this request is %(status)s.") % {
            "status": service_request.get_status_display()})
        return redirect("services:request_detail", reference=reference)
    form = LeaveCancellationForm(http_request.POST if http_request.method == "POST" else None, applicant=http_request.user,
                                 instance=LeaveCancellation(original=service_request))
    if http_request.method == "POST" and form.is_valid():
        try:
            cancellation = cancellation_services.request_cancel(request=service_request, actor=http_request.user,
                                                   from_date=form.cleaned_data.get("from_date"),
                                                   comment=form.cleaned_data.get("reason", ""))
        except TransitionNotAllowed as error:
            messages.error(http_request, str(error))
            return redirect("services:request_detail", reference=reference)
        messages.success(http_request, _("Your cancellation %(reference)s has been submitted. The leave stays approved until it is "
                                         "decided.") % {"reference": cancellation.reference})
        return redirect("services:request_detail", reference=cancellation.reference)
    return private_response(render(http_request, "services/leave/request_cancel.html", {
        "service_request": service_request, "details": service_request.details, "form": form,
        "error_forms": [form] if form.is_bound and form.errors else [],
    }))


# --- The team calendar and its subscriptions -------------------------------------------------------------

def parse_month(value: str | None, *, today: datetime.date) -> datetime.date:
    """The first day of the month given as "2027-01"; this month when the value is missing or not a month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 2000 <= year <= 2100:
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def shift_month(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _calendar_units(user: User, decision_units: list[OrgUnit]) -> list[OrgUnit]:
    """The units whose calendar the user may open: their own, and those whose leave they decide."""
    units = {unit.pk: unit for unit in decision_units}
    if user.unit_id and user.unit_id not in units:
        units[user.unit_id] = user.unit
    return sorted(units.values(), key=lambda unit: unit.path)


@never_cache
@login_required
@require_GET
def team_calendar(http_request: HttpRequest) -> HttpResponse:
    user: User = http_request.user
    today = timezone.localdate()
    first = parse_month(http_request.GET.get("month"), today=today)
    decision_units = list(absences.leave_decision_units(user))
    units = _calendar_units(user, decision_units)
    code = (http_request.GET.get("unit") or "").strip()
    if code:
        unit = next((candidate for candidate in units if candidate.code == code), None)
        if unit is None:
            raise Http404("No such unit.")
    else:
        unit = next((candidate for candidate in units if candidate.pk == user.unit_id), units[0] if units else None)
    rows, calendar_days = [], absences.month_days(first, state=user.federal_state, language=get_language() or "de")
    if unit is not None:
        members = list(absences.team_members(unit))
        absent = list(absences.team_absences(unit=unit, year=first.year, month=first.month))
        rows = absences.absence_rows(members, absent, calendar_days)
    unit_query = f"&{urlencode({'unit': unit.code})}" if code and unit is not None else ""
    tokens = list(CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).order_by("scope"))
    return private_response(render(http_request, "services/leave/team_calendar.html", {
        "unit": unit, "units": units, "selected_code": code, "first": first, "days": calendar_days, "rows": rows, "today": today,
        "previous_month": f"{shift_month(first, -1):%Y-%m}{unit_query}", "next_month": f"{shift_month(first, 1):%Y-%m}{unit_query}",
        "this_month": f"{today:%Y-%m}{unit_query}", "month_value": f"{first:%Y-%m}",
        "feeds": [(token, http_request.build_absolute_uri(reverse("calendar_feed", args=[token.token]))) for token in tokens],
        "may_have_team_feed": bool(decision_units),
        "scopes": CalendarFeedScope,
    }))


@never_cache
@login_required
@require_POST
def calendar_feed_create(http_request: HttpRequest) -> HttpResponse:
    """Create (or renew) one's subscription address for a scope; the previous one stops working."""
    scope = http_request.POST.get("scope") or CalendarFeedScope.OWN
    try:
        feeds.calendar_feed_token_create(user=http_request.user, scope=scope)
    except feeds.FeedNotAllowed as error:
        messages.error(http_request, str(error))
    else:
        messages.success(http_request, _("Your new calendar address is ready. Any previous address of this calendar no longer works."))
    return redirect(f"{reverse('team_calendar')}#subscriptions")


@never_cache
@login_required
@require_POST
def calendar_feed_revoke(http_request: HttpRequest, pk: int) -> HttpResponse:
    token = feeds.get_own_feed_token_or_404(http_request.user, pk)
    feeds.calendar_feed_token_revoke(token=token, actor=http_request.user)
    messages.success(http_request, _("The calendar address has been revoked; calendar apps can no longer read it."))
    return redirect(f"{reverse('team_calendar')}#subscriptions")


@require_safe
def calendar_feed(http_request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a subscription address; no login, the token is the key.

    HEAD answers like GET (calendar apps ask it to see whether the feed changed): the same status and headers,
    the body left out by the server."""
    feed_token = feeds.get_feed_token_or_404(token)
    response = HttpResponse(feeds.calendar_feed_ical(feed_token), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kurzer-dienstweg.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return private_response(response)
