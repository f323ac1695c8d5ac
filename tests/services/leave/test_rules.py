"""The leave rules (services.leave.rules, fed by services.leave.days): which days count, entitlement per TVöD §26, carry-over deadlines.

Property-based tests compare the count with a brute-force oracle that asks the `holidays` library
directly; table tests pin the worked examples of the issue.
"""

import datetime
from decimal import Decimal

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.models import FederalState
from services.leave import days as leave_days
from services.leave import rules as leave_rules
from services.leave.models import MunicipalDayOff
from services.leave.rules import EntitlementInput, annual_entitlement, count_days
from tests.factories import UserFactory

date = datetime.date

work_patterns = st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=7, unique=True)
states = st.sampled_from(FederalState.values)
starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
lengths = st.integers(min_value=0, max_value=400)


def oracle(weekdays: list[int], state: str, start: datetime.date, end: datetime.date) -> int:
    """Brute force: every day from start to end that is a working weekday and not a public holiday of the state."""
    public = holidays.country_holidays("DE", subdiv=state, years=range(start.year, end.year + 1))
    return sum(1 for offset in range((end - start).days + 1)
               if (start + datetime.timedelta(days=offset)).isoweekday() in weekdays
               and (start + datetime.timedelta(days=offset)) not in public)


@settings(max_examples=200, deadline=None)
@given(weekdays=work_patterns, state=states, start=starts, length=lengths)
def test_count_equals_the_working_non_holiday_days(weekdays, state, start, length):
    end = start + datetime.timedelta(days=length)
    assert count_days(start=start, end=end, weekdays=weekdays, state=state) == oracle(weekdays, state, start, end)


@settings(max_examples=200, deadline=None)
@given(weekdays=work_patterns, state=states, start=starts, length=lengths, cut=st.integers(min_value=0, max_value=400),
       half_days=st.sets(st.sampled_from([date(2027, 12, 24), date(2027, 12, 31), date(2028, 2, 28)])))
def test_splitting_a_range_never_changes_the_total(weekdays, state, start, length, cut, half_days):
    end = start + datetime.timedelta(days=length)
    middle = start + datetime.timedelta(days=min(cut, length))
    days_off = {day: True for day in half_days}
    whole = count_days(start=start, end=end, weekdays=weekdays, state=state, municipal_days_off=days_off)
    first = count_days(start=start, end=middle, weekdays=weekdays, state=state, municipal_days_off=days_off)
    second = count_days(start=middle + datetime.timedelta(days=1), end=end, weekdays=weekdays, state=state,
                        municipal_days_off=days_off)
    assert first + second == whole


@settings(max_examples=100, deadline=None)
@given(weekdays=work_patterns, state=states, start=starts, length=lengths)
def test_per_year_days_add_up_to_the_whole(weekdays, state, start, length):
    end = start + datetime.timedelta(days=length)
    values = leave_rules.daily_values(start=start, end=end, weekdays=weekdays, state=state)
    assert sum(leave_rules.working_days_per_year(values).values(), Decimal("0")) == count_days(
        start=start, end=end, weekdays=weekdays, state=state)


@pytest.mark.parametrize(("weekdays", "start", "end", "expected"), [
    ((1, 2, 3, 4), date(2027, 4, 12), date(2027, 4, 18), 4),       # Mon–Thu: Friday is not a working day
    ((1, 3, 5), date(2027, 4, 12), date(2027, 4, 25), 6),          # Mon/Wed/Fri over two weeks
    ((1, 2, 3, 4, 5), date(2027, 3, 22), date(2027, 4, 2), 8),     # Good Friday 26.3. and Easter Monday 29.3.2027
    ((1, 2, 3, 4, 5), date(2027, 3, 29), date(2027, 4, 9), 9),     # Easter Monday 29.3.2027
])
def test_work_patterns_and_holidays_in_north_rhine_westphalia(weekdays, start, end, expected):
    assert count_days(start=start, end=end, weekdays=weekdays, state="NW") == expected


def test_a_state_holiday_counts_only_where_it_is_one():
    # 6 January (Epiphany) is a holiday in Bavaria, not in North Rhine-Westphalia.
    assert count_days(start=date(2027, 1, 6), end=date(2027, 1, 6), state="BY") == 0
    assert count_days(start=date(2027, 1, 6), end=date(2027, 1, 6), state="NW") == 1


def test_christmas_week_in_bavaria_with_24_and_31_december_as_municipal_half_days(db):
    MunicipalDayOff.objects.create(date=date(2026, 12, 24), name="Heiligabend", half_day=True)
    MunicipalDayOff.objects.create(date=date(2026, 12, 31), name="Silvester", half_day=True)
    employee = UserFactory(federal_state="BY")

    # 21–23 (3) + 24 (½) + 25/26 holidays + 28–30 (3) + 31 (½)
    assert leave_days.working_days(employee=employee, start=date(2026, 12, 21), end=date(2026, 12, 31)) == Decimal("7")
    # On into January: 1 January and 6 January (Epiphany) are Bavarian holidays, 4, 5, 7 and 8 January count.
    values = leave_days.employee_daily_values(employee=employee, start=date(2026, 12, 21), end=date(2027, 1, 8))
    assert leave_rules.working_days_per_year(values) == {2026: Decimal("7"), 2027: Decimal("4")}


def test_a_half_day_on_a_municipal_half_day_off_takes_half_a_day_not_less(db):
    MunicipalDayOff.objects.create(date=date(2027, 12, 24), name="Heiligabend", half_day=True)
    employee = UserFactory(federal_state="NW")
    assert leave_days.working_days(employee=employee, start=date(2027, 12, 24), end=date(2027, 12, 24),
                                    half_day_start=True) == Decimal("0.5")


def test_a_whole_municipal_day_off_takes_no_leave(db):
    MunicipalDayOff.objects.create(date=date(2027, 2, 8), name="Rosenmontag", half_day=False)
    employee = UserFactory(federal_state="NW")
    assert leave_days.working_days(employee=employee, start=date(2027, 2, 8), end=date(2027, 2, 12)) == 4


# --- Entitlement (TVöD §26) -----------------------------------------------------------------------------


@pytest.mark.parametrize(("facts", "expected"), [
    (EntitlementInput(days_per_week=5), 30),                                                 # §26 (1): five-day week
    (EntitlementInput(days_per_week=4), 24),                                                 # 30 / 5 × 4
    (EntitlementInput(days_per_week=3), 18),                                                 # Mon/Wed/Fri
    # The worked example: Mon–Thu, joining on 1 April: 24 × 9/12 = 18 (§26 (2) b)
    (EntitlementInput(days_per_week=4, employment_start=date(2027, 4, 1)), 18),
    (EntitlementInput(days_per_week=5, employment_start=date(2027, 6, 1)), 18),              # 17.5 rounded up (§26 (1))
    (EntitlementInput(days_per_week=5, employment_start=date(2027, 4, 15)), 20),             # 8 full months from 15 April
    (EntitlementInput(days_per_week=5, employment_end=date(2027, 6, 30)), 15),               # leaves in the first half
    # Leaves on 31 July after the waiting period: 17.5 → at least the statutory four weeks (§5 BUrlG unaffected)
    (EntitlementInput(days_per_week=5, employment_end=date(2027, 7, 31)), 20),
    # §26 (2) c: February to April suspended, 30 − 3 × 2.5 = 22.5 → 23
    (EntitlementInput(days_per_week=5, suspensions=((date(2027, 2, 1), date(2027, 4, 30)),)), 23),
    # Only full calendar months count: 15 January – 14 March leaves February alone → 27.5 → 28
    (EntitlementInput(days_per_week=5, suspensions=((date(2027, 1, 15), date(2027, 3, 14)),)), 28),
    (EntitlementInput(days_per_week=5, extra_days=Decimal("5")), 35),                        # SGB IX §208
    (EntitlementInput(days_per_week=5, employment_start=date(2028, 1, 1)), 0),               # not yet employed
    (EntitlementInput(days_per_week=5, employment_end=date(2026, 12, 31)), 0),               # no longer employed
])
def test_annual_entitlement_follows_tvoed_26(facts, expected):
    assert annual_entitlement(2027, facts) == expected


@pytest.mark.parametrize(("days", "expected"), [
    (Decimal("17.5"), 18), (Decimal("17.49"), 17), (Decimal("17.0"), 17), (Decimal("0.4"), 0),
])
def test_fractions_of_half_a_day_are_rounded_up_and_smaller_ones_dropped(days, expected):
    assert leave_rules.round_leave_days(days) == expected


def test_carry_over_deadline_is_31_march_or_31_may_when_extended():
    assert leave_rules.carry_over_deadline(2027) == date(2027, 3, 31)
    assert leave_rules.carry_over_deadline(2027, extended=True) == date(2027, 5, 31)


def test_a_year_is_closed_once_it_is_over():
    assert leave_rules.is_closed_year(2026, today=date(2027, 1, 1))
    assert not leave_rules.is_closed_year(2027, today=date(2027, 1, 1))
