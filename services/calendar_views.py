"""The team calendar (who in my unit is absent this month), calendar subscriptions and the iCalendar feed.

Colleagues see of each other only that someone is absent on a day — approved leave, no type, no
reason, no pending requests. The month is a real table so that it reads with a keyboard and a
screen reader: day headers per column, names per row, and every mark written out as text.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.models import OrgUnit, User
from services import calendar_feeds, permissions, selectors
from services.models import CalendarFeedScope, CalendarFeedToken
from services.views import private_response


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    is_weekend: bool
    holiday: str = ""

    @property
    def is_day_off(self) -> bool:
        return self.is_weekend or bool(self.holiday)


FULL, HALF = "full", "half"


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


def month_days(first: datetime.date, *, state: str | None) -> list[CalendarDay]:
    last = shift_month(first, 1) - datetime.timedelta(days=1)
    holidays = selectors.public_holiday_names(state, first, last, language=get_language() or "de")
    return [CalendarDay(day, day.isoweekday() >= 6, holidays.get(day, ""))
            for day in (first + datetime.timedelta(days=offset) for offset in range(last.day))]


def absence_rows(members, absences, days: list[CalendarDay]) -> list[tuple[User, list[str]]]:
    """One row per person: for each day "full", "half" or "" (not absent)."""
    by_person = defaultdict(list)
    for absence in absences:
        by_person[absence.request.applicant_id].append(absence)
    rows = []
    for member in members:
        cells = []
        for day in days:
            mark = ""
            for absence in by_person.get(member.pk, ()):
                if absence.start_date <= day.date <= absence.end_date:
                    half = (day.date == absence.start_date and absence.half_day_start) or (
                        day.date == absence.end_date and absence.half_day_end)
                    mark = FULL if mark == FULL or not half else HALF
            cells.append(mark)
        rows.append((member, cells))
    return rows


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
    decision_units = list(permissions.leave_decision_units(user))
    units = _calendar_units(user, decision_units)
    code = (http_request.GET.get("unit") or "").strip()
    if code:
        unit = next((candidate for candidate in units if candidate.code == code), None)
        if unit is None:
            raise Http404("No such unit.")
    else:
        unit = next((candidate for candidate in units if candidate.pk == user.unit_id), units[0] if units else None)
    rows, days = [], month_days(first, state=user.federal_state)
    if unit is not None:
        members = list(selectors.team_members(unit))
        absences = list(selectors.team_absences(unit=unit, year=first.year, month=first.month))
        rows = absence_rows(members, absences, days)
    unit_query = f"&{urlencode({'unit': unit.code})}" if code and unit is not None else ""
    tokens = list(CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).order_by("scope"))
    return private_response(render(http_request, "services/team_calendar.html", {
        "unit": unit, "units": units, "selected_code": code, "first": first, "days": days, "rows": rows, "today": today,
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
        calendar_feeds.calendar_feed_token_create(user=http_request.user, scope=scope)
    except calendar_feeds.FeedNotAllowed as error:
        messages.error(http_request, str(error))
    else:
        messages.success(http_request, _("Your new calendar address is ready. Any previous address of this calendar no longer works."))
    return redirect(f"{reverse('team_calendar')}#subscriptions")


@never_cache
@login_required
@require_POST
def calendar_feed_revoke(http_request: HttpRequest, pk: int) -> HttpResponse:
    token = permissions.get_own_feed_token_or_404(http_request.user, pk)
    calendar_feeds.calendar_feed_token_revoke(token=token, actor=http_request.user)
    messages.success(http_request, _("The calendar address has been revoked; calendar apps can no longer read it."))
    return redirect(f"{reverse('team_calendar')}#subscriptions")


@require_GET
def calendar_feed(http_request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a subscription address; no login, the token is the key."""
    feed_token = permissions.get_feed_token_or_404(token)
    response = HttpResponse(calendar_feeds.calendar_feed_ical(feed_token), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kurzer-dienstweg.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return private_response(response)
