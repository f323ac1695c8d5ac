"""Who is away: team members, approved absences, the team calendar's month, and the approver's crowded-days warning.

Colleagues see of each other only that someone is absent on a day — approved leave, never its type,
a note or the substitute. Every answer about which day counts for a person comes from the one rule
(`services.leave.days`), so the calendar, the warning and the leave itself always agree.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from portal.models import OrgUnit, User
from services import permissions
from services.leave import days, rules
from services.leave.models import LeaveRequest, MunicipalDayOff
from services.models import ServiceRequest
from services.statuses import RequestStatus

LEAVE = "leave"
# The responsibility whose holders form an approver's "team" for absence calendars; other
# responsibilities (IT, HR review) open nobody's absences.
DECIDE_LEAVE = "decide_leave"


def leave_decision_units(user: User, *, at: datetime.datetime | None = None) -> QuerySet[OrgUnit]:
    """The units whose leave the user may decide now (held, delegated or as substitute), each with everything below it."""
    return permissions.delegable_units([grant for grant in permissions.effective_grants(user, at=at)
                                        if grant.permission == DECIDE_LEAVE])


def team_members(unit) -> QuerySet[User]:
    """The active people of one unit (not of the units below it), by name."""
    return User.objects.filter(unit=unit, is_active=True).only(
        "first_name", "last_name", "email", "unit_id", "working_weekdays", "federal_state").order_by("last_name", "first_name", "pk")


def month_bounds(first: datetime.date) -> tuple[datetime.date, datetime.date]:
    following = datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


APPROVED_ABSENCE_FIELDS = (
    "request_id", "start_date", "end_date", "half_day_start", "half_day_end",
    "request__reference", "request__updated_at", "request__decided_at", "request__applicant_id",
    "request__applicant__first_name", "request__applicant__last_name", "request__applicant__email",
    "request__applicant__preferred_language", "request__applicant__working_weekdays",
    "request__applicant__federal_state",
)


def approved_absences(*, units=None, applicants=None, start: datetime.date, end: datetime.date):
    """Approved leave overlapping `start`..`end`, of members of `units` (a queryset) or of `applicants`.

    Only the period is read — never the type of leave, the note or the substitute — so that what
    colleagues see of each other's absence cannot carry more than "absent".
    """
    queryset = LeaveRequest.objects.filter(
        request__kind=LEAVE, request__status=RequestStatus.APPROVED, request__applicant__is_active=True,
        start_date__lte=end, end_date__gte=start,
    )
    if units is not None:
        queryset = queryset.filter(request__applicant__unit__in=units)
    if applicants is not None:
        queryset = queryset.filter(request__applicant__in=applicants)
    return queryset.select_related("request__applicant").only(*APPROVED_ABSENCE_FIELDS).order_by("start_date", "request_id")


def team_absences(*, unit, year: int, month: int):
    """Approved leave of the unit's people overlapping the month: one query, however large the team."""
    first, last = month_bounds(datetime.date(year, month, 1))
    return approved_absences(units=[unit], start=first, end=last)


def absence_values(person: User, absences: Iterable[LeaveRequest], *, start: datetime.date, end: datetime.date,
                   municipal_days_off: dict[datetime.date, bool]) -> dict[datetime.date, Decimal]:
    """How much of each working day from start to end the person's approved leave takes (the leave rule's values)."""
    taken: dict[datetime.date, Decimal] = {}
    for absence in absences:
        values = days.employee_daily_values(employee=person, start=absence.start_date, end=absence.end_date,
                                            half_day_start=absence.half_day_start, half_day_end=absence.half_day_end,
                                            municipal_days_off=municipal_days_off)
        for day, value in values.items():
            if start <= day <= end and value > 0:
                taken[day] = max(taken.get(day, rules.ZERO), value)
    return taken


# --- The team calendar's month ------------------------------------------------------------------------

@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    is_weekend: bool
    holiday: str = ""
    # The city's own day off (Rosenmontag, 24 December): its name, and whether only half of the day is off.
    municipal: str = ""
    municipal_half: bool = False

    @property
    def is_day_off(self) -> bool:
        return self.is_weekend or bool(self.holiday) or (bool(self.municipal) and not self.municipal_half)


FULL, HALF, OFF = "full", "half", "off"


def municipal_day_names(start: datetime.date, end: datetime.date) -> dict[datetime.date, tuple[str, bool]]:
    return {row.date: (row.name, row.half_day) for row in MunicipalDayOff.objects.filter(date__range=(start, end))}


def month_days(first: datetime.date, *, state: str | None, language: str = "de",
               municipal: dict[datetime.date, tuple[str, bool]] | None = None) -> list[CalendarDay]:
    """The days of the month with what makes them days off for the reader: weekend, public holiday, the city's days off."""
    first, last = month_bounds(first)
    holidays = rules.public_holiday_names(state, first, last, language=language)
    municipal = municipal_day_names(first, last) if municipal is None else municipal
    return [CalendarDay(day, day.isoweekday() >= 6, holidays.get(day, ""), *municipal.get(day, ("", False)))
            for day in rules.days_between(first, last)]


def absence_rows(members, absences, calendar_days: list[CalendarDay]) -> list[tuple[User, list[str]]]:
    """One row per person: for each day "full" or "half" (absent that much of a working day), "off" (no working day
    for this person: their weekdays, their state's holidays, the city's days off) or "" (at work)."""
    if not calendar_days:
        return []
    start, end = calendar_days[0].date, calendar_days[-1].date
    municipal_days_off = days.municipal_days_off_between(start, end)
    by_person = defaultdict(list)
    for absence in absences:
        by_person[absence.request.applicant_id].append(absence)
    rows = []
    for member in members:
        working = days.employee_daily_values(employee=member, start=start, end=end, municipal_days_off=municipal_days_off)
        taken = absence_values(member, by_person.get(member.pk, ()), start=start, end=end,
                               municipal_days_off=municipal_days_off)
        cells = []
        for day in calendar_days:
            if day.date in taken:
                cells.append(FULL if taken[day.date] >= 1 else HALF)
            else:
                cells.append(OFF if working[day.date] == 0 else "")
        rows.append((member, cells))
    return rows


# --- The approver's warning ---------------------------------------------------------------------------

def crowded_absence_days(*, request: ServiceRequest, share: float) -> list[datetime.date]:
    """Days a leave request takes on which more than `share` of the applicant's unit would be absent.

    The days are those the leave rule counts for the applicant (their weekdays, their state's holidays,
    the city's days off); a colleague counts as absent on a day their own approved leave takes.
    """
    return crowded_absence_days_of([request], share=share).get(request.pk, [])


def crowded_absence_days_of(requests: Iterable[ServiceRequest], *, share: float) -> dict[int, list[datetime.date]]:
    """`crowded_absence_days` of many leave requests at once, by request id (only those with crowded days): three
    queries however many requests (the team sizes, the city's days off, the approved leave of those teams)."""
    leave_requests = [request for request in requests if request.kind == LEAVE and getattr(request, "leave", None) is not None
                      and request.applicant.unit_id is not None]
    if not leave_requests:
        return {}
    unit_ids = {request.applicant.unit_id for request in leave_requests}
    team_sizes = dict(User.objects.filter(unit_id__in=unit_ids, is_active=True).values("unit_id")
                      .annotate(size=Count("pk")).values_list("unit_id", "size"))
    start = min(request.leave.start_date for request in leave_requests)
    end = max(request.leave.end_date for request in leave_requests)
    municipal_days_off = days.municipal_days_off_between(start, end)
    absences_by_unit = defaultdict(list)
    for absence in approved_absences(units=list(unit_ids), start=start, end=end).only(
            *APPROVED_ABSENCE_FIELDS, "request__applicant__unit_id"):
        absences_by_unit[absence.request.applicant.unit_id].append(absence)
    crowded = {}
    for request in leave_requests:
        leave, applicant = request.leave, request.applicant
        team_size = team_sizes.get(applicant.unit_id, 0)
        if team_size == 0:
            continue
        requested = days.employee_daily_values(employee=applicant, start=leave.start_date, end=leave.end_date,
                                               half_day_start=leave.half_day_start, half_day_end=leave.half_day_end,
                                               municipal_days_off=municipal_days_off)
        by_person = defaultdict(list)
        for absence in absences_by_unit[applicant.unit_id]:
            if (absence.request.applicant_id != applicant.pk and absence.start_date <= leave.end_date
                    and absence.end_date >= leave.start_date):
                by_person[absence.request.applicant_id].append(absence)
        taken = [absence_values(absences[0].request.applicant, absences, start=leave.start_date, end=leave.end_date,
                                municipal_days_off=municipal_days_off) for absences in by_person.values()]
        days_crowded = [day for day, value in requested.items()
                        if value > 0 and (1 + sum(1 for person in taken if day in person)) / team_size > share]
        if days_crowded:
            crowded[request.pk] = days_crowded
    return crowded
