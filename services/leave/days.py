"""Which days count for one person: the one rule of `services.leave.rules`, fed with what the portal knows.

A day is a working day for someone when it is one of their working weekdays, not a public holiday of
their federal state and not a municipal day off (a municipal half day off counts half). Leave, the
ledger, the checks at submission, the team-absence warning and the team calendar all ask here.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from portal.models import User
from services.leave.models import MunicipalDayOff
from services.leave.rules import ZERO, daily_values


def municipal_days_off_between(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    """The city's own days off (Rosenmontag, 24 and 31 December, …) from start to end: date → half day?"""
    return dict(MunicipalDayOff.objects.filter(date__range=(start, end)).values_list("date", "half_day"))


def employee_daily_values(*, employee: User, start: datetime.date, end: datetime.date, half_day_start: bool = False,
                          half_day_end: bool = False,
                          municipal_days_off: Mapping[datetime.date, bool] | None = None) -> dict[datetime.date, Decimal]:
    """`rules.daily_values` for one employee: their working weekdays, their federal state, the city's days off.

    One query for the days off, unless the caller read them already (`municipal_days_off`, for many people at once).
    """
    if end < start:
        return {}
    if municipal_days_off is None:
        municipal_days_off = municipal_days_off_between(start, end)
    return daily_values(start=start, end=end, weekdays=employee.working_weekdays, state=employee.federal_state,
                        municipal_days_off=municipal_days_off, half_day_start=half_day_start, half_day_end=half_day_end)


def working_days(*, employee: User, start: datetime.date, end: datetime.date, half_day_start: bool = False,
                 half_day_end: bool = False, memo: object | None = None) -> Decimal:
    """The working days leave of `employee` from start to end takes (`memo`: see `leave_daily_values`)."""
    return sum(leave_daily_values(employee=employee, start=start, end=end, half_day_start=half_day_start,
                                  half_day_end=half_day_end, memo=memo).values(), ZERO)


_MEMO_ATTRIBUTE = "_leave_daily_values_counted"


def leave_daily_values(*, employee: User, start: datetime.date, end: datetime.date, half_day_start: bool = False,
                       half_day_end: bool = False, memo: object | None = None) -> dict[datetime.date, Decimal]:
    """`employee_daily_values`, counted once per change: given a `memo` (the detail row being filed), the answer is
    kept on it together with everything it was counted from, so that the form's checks, the form's display and the
    filing share one count; different dates, half days, working weekdays or federal state count afresh."""
    inputs = (employee.pk, employee.federal_state, tuple(employee.working_weekdays or ()), start, end,
              bool(half_day_start), bool(half_day_end))
    kept = getattr(memo, _MEMO_ATTRIBUTE, None) if memo is not None else None
    if kept is not None and kept[0] == inputs:
        return kept[1]
    values = employee_daily_values(employee=employee, start=start, end=end, half_day_start=half_day_start,
                                   half_day_end=half_day_end)
    if memo is not None:
        setattr(memo, _MEMO_ATTRIBUTE, (inputs, values))
    return values


def office_working_days(*, state: str | None, start: datetime.date, end: datetime.date) -> Decimal:
    """The city's working days from start to end: Monday to Friday, without the public holidays of `state` and the
    city's days off (a half day off counts half). For deadlines that run in working days, such as how long a
    request has waited for a decision."""
    if end < start:
        return ZERO
    return sum(daily_values(start=start, end=end, state=state,
                            municipal_days_off=municipal_days_off_between(start, end)).values(), ZERO)
