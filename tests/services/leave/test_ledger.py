"""The leave ledger (services.leave.ledger.leave_balance): computed from the requests' statuses, never stored."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from portal.models import CarryOverExtension, EmploymentSuspension
from services import workflow
from services.kinds import registry
from services.leave.ledger import leave_balance
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from services.models import RequestStatus, ServiceRequest
from tests.factories import UserFactory, leave_request, leave_type_record

date = datetime.date
LEAVE = registry.get("leave")


@pytest.fixture(autouse=True)
def ledger_from_2026(settings):
    settings.LEAVE_LEDGER_START_YEAR = 2026


def test_worked_example_part_time_joining_on_1_april_in_north_rhine_westphalia(db):
    employee = UserFactory(working_weekdays=[1, 2, 3, 4], federal_state="NW", employment_start=date(2027, 4, 1))
    balance = leave_balance(employee=employee, year=2027, on=date(2027, 4, 1))
    assert (balance.entitlement, balance.carried_over, balance.remaining) == (18, 0, 18)


def test_approved_and_pending_annual_leave_are_booked_and_other_types_are_not(db):
    employee = UserFactory()
    leave_request(applicant=employee, start=date(2027, 5, 3), days=5, status=RequestStatus.APPROVED)
    leave_request(applicant=employee, start=date(2027, 6, 7), days=3, status=RequestStatus.SUBMITTED)
    leave_request(applicant=employee, start=date(2027, 7, 5), days=5, status=RequestStatus.REJECTED)
    leave_request(applicant=employee, start=date(2027, 8, 2), days=5, status=RequestStatus.APPROVED, leave_type="special")
    balance = leave_balance(employee=employee, year=2027, on=date(2027, 4, 1))
    assert (balance.approved, balance.pending) == (5, 3)
    # 2026 unused: 30 carried over, expired on 1 April 2027 since nothing was started by 31 March.
    assert (balance.carried_over, balance.expired, balance.remaining) == (30, 30, 22)


def test_leave_over_new_year_counts_in_each_year_with_its_own_days(db):
    employee = UserFactory(federal_state="NW")
    request = leave_request(applicant=employee, start=date(2026, 12, 28), days=12, status=RequestStatus.APPROVED)
    request.leave.working_days = Decimal("9")  # 28–31 Dec (4), 1 Jan holiday, 4–8 Jan (5)
    request.leave.save()
    assert leave_balance(employee=employee, year=2026, on=date(2026, 12, 1)).approved == 4
    assert leave_balance(employee=employee, year=2027, on=date(2027, 1, 1)).approved == 5


def test_carry_over_expires_on_1_april(db):
    employee = UserFactory()
    leave_request(applicant=employee, start=date(2026, 6, 1), days=26, status=RequestStatus.APPROVED)  # 20 days
    on_31_march = leave_balance(employee=employee, year=2027, on=date(2027, 3, 31))
    on_1_april = leave_balance(employee=employee, year=2027, on=date(2027, 4, 1))
    assert (on_31_march.carried_over, on_31_march.remaining) == (10, 40)
    assert (on_1_april.carried_over, on_1_april.expired, on_1_april.remaining) == (10, 10, 30)
    assert on_1_april.carry_over_deadline == date(2027, 3, 31)


def test_carry_over_used_by_leave_started_by_31_march_does_not_expire(db):
    employee = UserFactory()
    leave_request(applicant=employee, start=date(2026, 6, 1), days=26, status=RequestStatus.APPROVED)  # 20 days
    leave_request(applicant=employee, start=date(2027, 3, 29), days=5, status=RequestStatus.APPROVED)  # started in time
    balance = leave_balance(employee=employee, year=2027, on=date(2027, 4, 1))
    assert (balance.expired, balance.remaining) == (5, 30)


def test_extended_carry_over_lasts_until_31_may(db):
    employee = UserFactory()
    leave_request(applicant=employee, start=date(2026, 6, 1), days=26, status=RequestStatus.APPROVED)
    CarryOverExtension.objects.create(user=employee, year=2027, reason="Arbeitsunfähig im März")
    assert leave_balance(employee=employee, year=2027, on=date(2027, 5, 31)).remaining == 40
    assert leave_balance(employee=employee, year=2027, on=date(2027, 6, 1)).remaining == 30


def test_suspension_and_extra_days_change_the_entitlement(db):
    employee = UserFactory(extra_leave_days=Decimal("5"))
    EmploymentSuspension.objects.create(user=employee, start=date(2027, 2, 1), end=date(2027, 4, 30), reason="Elternzeit")
    assert leave_balance(employee=employee, year=2027, on=date(2027, 1, 1)).entitlement == 23 + 5


def test_nothing_is_carried_into_the_first_year_of_the_ledger(db, settings):
    settings.LEAVE_LEDGER_START_YEAR = 2027
    assert leave_balance(employee=UserFactory(), year=2027, on=date(2027, 1, 1)).carried_over == 0


# --- Giving days back: the ledger follows the statuses ------------------------------------------------


def _submit(applicant, start: datetime.date, days: int) -> ServiceRequest:
    end = start + datetime.timedelta(days=days - 1)
    details = LeaveRequest(leave_type=leave_type_record(), start_date=start, end_date=end, working_days=count_days(start=start, end=end))
    return workflow.request_submit(applicant=applicant, kind=LEAVE, details=details)


def _figures(applicant, year: int):
    balance = leave_balance(employee=applicant, year=year, on=date(year, 1, 1))
    return balance.approved, balance.pending, balance.remaining


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(week=st.integers(min_value=0, max_value=50), weekday=st.integers(min_value=0, max_value=4),
       days=st.integers(min_value=1, max_value=10),
       ending=st.sampled_from(["reject", "withdraw", "cancel"]))
def test_approving_then_cancelling_or_rejecting_leaves_the_balance_unchanged(applicant, approver, week, weekday, days, ending):
    start = date(2027, 1, 4) + datetime.timedelta(weeks=week, days=weekday)
    # A weekday may still be a public holiday (Good Friday, All Saints' Day): the leave needs a working day.
    assume(count_days(start=start, end=start + datetime.timedelta(days=days - 1), state=applicant.federal_state) > 0)
    years = range(start.year, (start + datetime.timedelta(days=days)).year + 1)
    before = {year: _figures(applicant, year) for year in years}
    request = _submit(applicant, start, days)
    if ending == "withdraw":
        workflow.request_withdraw(request=request, actor=applicant)
    elif ending == "reject":
        workflow.request_decide(request=request, actor=approver, decision="reject", comment="Stadtfest")
    else:
        workflow.request_decide(request=request, actor=approver, decision="approve")
        assert _figures(applicant, start.year)[0] > before[start.year][0]
        # The end state of an approved cancellation (its workflow is tested with the cancellation kind).
        ServiceRequest.objects.filter(pk=request.pk).update(status=RequestStatus.CANCELLED)
    assert {year: _figures(applicant, year) for year in years} == before
