"""The rules of leave: which days count, how much leave a year brings, until when carried-over leave lasts.

Pure functions over plain values (dates, weekday lists, state codes, municipal days off): nothing
here reads or writes the database, and nothing here imports the rest of the project. Every place that
asks "is this a working day for this person" comes here through `services.leave.days`, which feeds
these rules with the person's weekdays, federal state and the city's days off; the ledger
(`services.leave.ledger`) combines them with the employee's requests.

Sources, cited where each rule is implemented:

- TVöD §26 (1): 30 working days of annual leave for a five-day week, more or less for another
  distribution of the working week, fractions of at least half a day rounded up, smaller ones dropped.
- TVöD §26 (2) a: leave not taken by the end of the year is carried over and must be started by
  31 March of the next year, or by 31 May where it could not be started earlier (illness, service needs).
- TVöD §26 (2) b: joining or leaving during the year gives one twelfth per full month of employment;
  §5 BUrlG stays unaffected (the statutory minimum of four weeks for someone who leaves in the second
  half of the year after the six-month waiting period).
- TVöD §26 (2) c: a suspended employment (Ruhen des Arbeitsverhältnisses) reduces the leave by one
  twelfth per full calendar month.
- SGB IX §208: five extra days for severely disabled people (recorded per person as `extra_leave_days`).
- Public holidays: those of the employee's federal state, from the `holidays` library.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import holidays
from dateutil.relativedelta import relativedelta

ZERO = Decimal("0")
HALF = Decimal("0.5")
ONE = Decimal("1")

# TVöD §26 (1) Satz 2: 30 working days a calendar year for a five-day week.
ANNUAL_LEAVE_FIVE_DAY_WEEK = Decimal("30")
FIVE_DAY_WEEK = 5
# BUrlG §3 (1) with §5: four weeks of statutory minimum leave, i.e. four times the working days per week.
STATUTORY_MINIMUM_WEEKS = 4
MONTHS_PER_YEAR = 12

FULL_WEEK = (1, 2, 3, 4, 5)


# --- Which days count ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def public_holidays(state: str, year: int) -> frozenset[datetime.date]:
    """The public holidays of a German federal state (`holidays` subdivision code, e.g. "NW") in one year."""
    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year))


def public_holiday_names(state: str | None, start: datetime.date, end: datetime.date, *,
                         language: str = "de") -> dict[datetime.date, str]:
    """Public holidays of a federal state from start to end inclusive, with their names in German or English."""
    if not state:
        return {}
    names = holidays.country_holidays("DE", subdiv=state, years=range(start.year, end.year + 1),
                                      language="de" if language.startswith("de") else "en_US")
    return {day: name for day, name in sorted(names.items()) if start <= day <= end}


def is_public_holiday(day: datetime.date, state: str | None) -> bool:
    return bool(state) and day in public_holidays(state, day.year)


def days_between(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """Every calendar day from start to end, both included (nothing when end is before start)."""
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def day_value(day: datetime.date, *, weekdays: Iterable[int], state: str | None,
              municipal_days_off: Mapping[datetime.date, bool]) -> Decimal:
    """How much of a working day leave on `day` takes: 1, 0.5 or 0.

    0 on a day the person does not work (part-time patterns such as Mon–Thu), on a public holiday of
    their state, and on a whole municipal day off; 0.5 on a municipal half day off (e.g. 24 and 31
    December), where the city already gives the other half. `municipal_days_off` maps a date to
    `True` for a half day off and `False` for a whole day off.
    """
    if day.isoweekday() not in set(weekdays) or is_public_holiday(day, state):
        return ZERO
    if day in municipal_days_off:
        return HALF if municipal_days_off[day] else ZERO
    return ONE


def daily_values(*, start: datetime.date, end: datetime.date, weekdays: Iterable[int] = FULL_WEEK, state: str | None = None,
                 municipal_days_off: Mapping[datetime.date, bool] | None = None, half_day_start: bool = False,
                 half_day_end: bool = False) -> dict[datetime.date, Decimal]:
    """The value of each day from start to end (see `day_value`), with half days at the ends applied.

    A half day at the start or end takes at most half a day (on a municipal half day off that is the
    same half day). A single day is halved once at most, whichever half was chosen.
    """
    weekdays = tuple(weekdays)
    municipal_days_off = municipal_days_off or {}
    values = {day: day_value(day, weekdays=weekdays, state=state, municipal_days_off=municipal_days_off)
              for day in days_between(start, end)}
    if not values:
        return values
    if half_day_start or (start == end and half_day_end):
        values[start] = min(values[start], HALF)
    if half_day_end:
        values[end] = min(values[end], HALF)
    return values


def count_days(*, start: datetime.date, end: datetime.date, weekdays: Iterable[int] = FULL_WEEK, state: str | None = None,
               municipal_days_off: Mapping[datetime.date, bool] | None = None, half_day_start: bool = False,
               half_day_end: bool = False) -> Decimal:
    """The working days leave from start to end takes (pure: everything it needs comes as arguments)."""
    return sum(daily_values(start=start, end=end, weekdays=weekdays, state=state, municipal_days_off=municipal_days_off,
                            half_day_start=half_day_start, half_day_end=half_day_end).values(), ZERO)


def working_days_per_year(values: Mapping[datetime.date, Decimal]) -> dict[int, Decimal]:
    """Split daily values by calendar year: leave over New Year counts in each year for its own days."""
    years: dict[int, Decimal] = {}
    for day, value in values.items():
        years[day.year] = years.get(day.year, ZERO) + value
    return years


# --- How much leave a year brings ---------------------------------------------------------------------

def round_leave_days(days: Decimal) -> Decimal:
    """TVöD §26 (1) Satz 4: a fraction of at least half a day is rounded up to a full day; smaller ones are dropped."""
    return days.quantize(ONE, rounding=ROUND_HALF_UP)


def full_year_entitlement(days_per_week: int) -> Decimal:
    """TVöD §26 (1) Satz 2–3: 30 days for a five-day week, scaled to another number of working days (30 / 5 × days)."""
    return ANNUAL_LEAVE_FIVE_DAY_WEEK / FIVE_DAY_WEEK * days_per_week


def full_months(start: datetime.date, end: datetime.date) -> int:
    """Full months from start to end inclusive, counted from the start day (1 April – 31 December: 9)."""
    if end < start:
        return 0
    difference = relativedelta(end + datetime.timedelta(days=1), start)
    return difference.years * MONTHS_PER_YEAR + difference.months


def suspended_calendar_months(year: int, suspensions: Iterable[tuple[datetime.date, datetime.date]]) -> int:
    """Calendar months of `year` that lie entirely within a suspension (TVöD §26 (2) c counts full calendar months)."""
    suspended_days = set()
    for start, end in suspensions:
        suspended_days.update(days_between(max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))))
    months = 0
    for month in range(1, MONTHS_PER_YEAR + 1):
        first = datetime.date(year, month, 1)
        last = first + relativedelta(months=1, days=-1)
        if all(day in suspended_days for day in days_between(first, last)):
            months += 1
    return months


@dataclass(frozen=True)
class EntitlementInput:
    """What the entitlement of one year depends on, as plain values."""

    days_per_week: int
    employment_start: datetime.date | None = None
    employment_end: datetime.date | None = None
    suspensions: tuple[tuple[datetime.date, datetime.date], ...] = ()
    extra_days: Decimal = ZERO


def annual_entitlement(year: int, facts: EntitlementInput) -> Decimal:
    """The annual leave (Erholungsurlaub) of one calendar year, in working days.

    1. TVöD §26 (1): 30 / 5 × working days per week.
    2. TVöD §26 (2) b: one twelfth per full month of employment in a year the person joins or leaves;
       for someone who leaves in the second half of the year after at least six months of employment
       no less than the statutory minimum (§5 (1) BUrlG a contrario, §3 BUrlG: four weeks).
    3. TVöD §26 (2) c: one twelfth less per full calendar month of suspended employment.
    4. TVöD §26 (1) Satz 4: a fraction of at least half a day rounded up, smaller ones dropped.
    5. Plus the individual extra days (e.g. SGB IX §208: five days for severe disability), as recorded.
    Nothing outside the employment: a year wholly before the start or after the end gives 0.
    """
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = max(first, facts.employment_start) if facts.employment_start else first
    end = min(last, facts.employment_end) if facts.employment_end else last
    if end < start:
        return ZERO
    full = full_year_entitlement(facts.days_per_week)
    months = MONTHS_PER_YEAR if (start, end) == (first, last) else full_months(start, end)
    days = full * months / MONTHS_PER_YEAR
    leaves_in_second_half = facts.employment_end is not None and facts.employment_end.year == year and facts.employment_end.month >= 7
    waited = facts.employment_start is None or full_months(facts.employment_start, end) >= 6
    if leaves_in_second_half and waited:
        days = max(days, Decimal(STATUTORY_MINIMUM_WEEKS * facts.days_per_week))
    suspended = suspended_calendar_months(year, facts.suspensions)
    days = max(ZERO, days - full * suspended / MONTHS_PER_YEAR)
    return round_leave_days(days) + facts.extra_days


# --- Until when carried-over leave lasts ---------------------------------------------------------------

def carry_over_deadline(year: int, *, extended: bool = False) -> datetime.date:
    """TVöD §26 (2) a: leave carried into `year` must be started by 31 March, or by 31 May where extended."""
    return datetime.date(year, 5, 31) if extended else datetime.date(year, 3, 31)


def is_closed_year(year: int, *, today: datetime.date) -> bool:
    """A year is closed for new leave once it is over: no requests for days before 1 January of the current year.

    Carried-over leave is taken in the new year (TVöD §26 (2) a), so nothing is ever booked back
    into a past year; corrections to past years go through HR.
    """
    return year < today.year
