"""Three places ask "is this a working day for this person", and all three ask the one rule.

The leave itself (services.leave.days), the approver's team-absence warning and the team calendar
(services.leave.absences) must agree for a colleague who works Monday to Thursday, across Rosenmontag
(a whole municipal day off) and 24 December (a municipal half day off).
"""

import datetime
from decimal import Decimal

import pytest
import time_machine

from services.leave import absences
from services.leave import days as leave_days
from services.leave.models import MunicipalDayOff
from services.models import RequestStatus
from tests.factories import OrgUnitFactory, UserFactory, leave_request

CHRISTMAS_WEEK = (datetime.date(2026, 12, 21), datetime.date(2026, 12, 25))  # Monday to Friday; the 25th is a holiday
ROSENMONTAG_WEEK = (datetime.date(2027, 2, 8), datetime.date(2027, 2, 12))  # Rosenmontag is Monday 8 February 2027


@pytest.fixture
def part_timer(db):
    MunicipalDayOff.objects.create(date=datetime.date(2027, 2, 8), name="Rosenmontag")
    MunicipalDayOff.objects.create(date=datetime.date(2026, 12, 24), name="Heiligabend", half_day=True)
    unit = OrgUnitFactory()
    UserFactory(unit=unit)  # a full-time colleague, so the unit has more than one person
    return UserFactory(unit=unit, working_weekdays=[1, 2, 3, 4], federal_state="NW")


def rule_values(person, start, end) -> dict[datetime.date, Decimal]:
    return leave_days.employee_daily_values(employee=person, start=start, end=end)


def calendar_cells(person, request, start) -> dict[datetime.date, str]:
    calendar_days = absences.month_days(start.replace(day=1), state=person.federal_state)
    leave = request.leave
    [(member, cells)] = [row for row in absences.absence_rows([person], [leave], calendar_days) if row[0] == person]
    return {day.date: cell for day, cell in zip(calendar_days, cells, strict=True)}


@pytest.mark.parametrize(("start", "end", "expected_days"), [
    (*CHRISTMAS_WEEK, Decimal("3.5")),  # Mon–Wed whole, 24th half (Thursday), Friday is no working day and a holiday
    (*ROSENMONTAG_WEEK, Decimal("3")),  # Rosenmontag off, Tue–Thu, Friday is no working day
])
def test_leave_warning_and_calendar_count_the_same_days(part_timer, start, end, expected_days):
    values = rule_values(part_timer, start, end)
    assert sum(values.values()) == expected_days == leave_days.working_days(employee=part_timer, start=start, end=end)
    working = {day for day, value in values.items() if value > 0}

    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), tick=False):
        request = leave_request(applicant=part_timer, status=RequestStatus.SUBMITTED, start=start,
                                days=(end - start).days + 1)
    # With a share of 0 every day the request takes is "crowded": exactly the rule's working days.
    assert set(absences.crowded_absence_days(request=request, share=0)) == working

    request.status = RequestStatus.APPROVED
    request.save(update_fields=["status"])
    cells = calendar_cells(part_timer, request, start)
    for day, value in values.items():
        assert cells[day] == {Decimal("1"): "full", Decimal("0.5"): "half", Decimal("0"): "off"}[value], day


def test_calendar_marks_the_citys_days_off_for_everyone(part_timer):
    by_date = {day.date: day for day in absences.month_days(datetime.date(2027, 2, 1), state="NW")}
    assert by_date[datetime.date(2027, 2, 8)].municipal == "Rosenmontag"
    assert by_date[datetime.date(2027, 2, 8)].is_day_off
    december = {day.date: day for day in absences.month_days(datetime.date(2026, 12, 1), state="NW")}
    assert december[datetime.date(2026, 12, 24)].municipal_half and not december[datetime.date(2026, 12, 24)].is_day_off
