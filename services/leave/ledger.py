"""The leave ledger: an employee's annual leave of one year, computed from their requests, never stored.

Nothing here is a counter that could drift: approved and pending requests are read each time, so
withdrawing, rejecting or cancelling a request gives its days back by changing its status alone.
The rules (entitlement, carry-over, which days count) come from `services.leave.rules` and `services.leave.days`.

Ledger rules, as implemented:

- Only types that count against the annual leave (`LeaveType.deducts_from_balance`, i.e. annual
  leave, Erholungsurlaub) are booked. "Approved" is approved leave; "pending" is leave submitted,
  waiting for the substitute, in review or sent back for changes: it is held until it is decided, withdrawn or rejected.
- A request over New Year is booked in each year with that year's own days.
- Carry-over (TVöD §26 (2) a): what is left of a year's entitlement moves into the next year and is
  used first; it expires unless started by 31 March (31 May with a `CarryOverExtension`). Leave
  started by then uses it, however long it lasts. Carried-over leave that expired is not carried again.
- The portal keeps leave from `settings.LEAVE_LEDGER_START_YEAR` (or the year of joining, if later):
  nothing is carried into that year, because the portal does not know what was taken before.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from portal.models import CarryOverExtension, EmploymentSuspension, User
from services.leave import days, rules
from services.leave.models import LeaveRequest
from services.statuses import UNDECIDED_STATUSES, RequestStatus

ZERO = Decimal("0")
PENDING_STATUSES = UNDECIDED_STATUSES
BOOKED_STATUSES = (RequestStatus.APPROVED, *PENDING_STATUSES)


@dataclass(frozen=True)
class Booking:
    """One request's annual leave as the ledger sees it: when it starts and how many days fall in each year."""

    start: datetime.date
    days_per_year: dict[int, Decimal]
    approved: bool
    request_id: int | None = None


@dataclass(frozen=True)
class LeaveBalance:
    """One year of one person's annual leave.

    `remaining` is what can still be requested as of `on`: entitlement plus carry-over (less what
    of the carry-over expired by then), less approved and pending leave.
    """

    year: int
    entitlement: Decimal
    carried_over: Decimal
    approved: Decimal
    pending: Decimal
    remaining: Decimal
    expired: Decimal = ZERO
    carry_over_deadline: datetime.date | None = None
    shortfall: Decimal = ZERO
    extra_days: Decimal = field(default=ZERO)
    carry_used: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.entitlement + self.carried_over

    @property
    def carried_over_remaining(self) -> Decimal:
        """Carried-over leave not yet booked by leave that starts by the deadline, and not yet expired."""
        return max(ZERO, self.carried_over - self.carry_used - self.expired)

    @property
    def current_year_remaining(self) -> Decimal:
        """What is left of the year's own entitlement."""
        return max(ZERO, self.remaining - self.carried_over_remaining)


@dataclass(frozen=True)
class _Year:
    entitlement: Decimal
    carried_over: Decimal
    approved: Decimal
    pending: Decimal
    carry_used: Decimal
    deadline: datetime.date

    @property
    def used(self) -> Decimal:
        return self.approved + self.pending

    @property
    def left_at_year_end(self) -> Decimal:
        """Entitlement not used at the end of the year: the next year's carry-over (never negative)."""
        return max(ZERO, self.entitlement - (self.used - self.carry_used))

    @property
    def shortfall(self) -> Decimal:
        """Days booked beyond what the year and its carry-over (as far as started in time) can cover."""
        return max(ZERO, self.used - self.carry_used - self.entitlement)


def entitlement_input(employee: User) -> rules.EntitlementInput:
    """The entitlement facts of one employee (one query for the suspensions, none where they were prefetched)."""
    return rules.EntitlementInput(
        days_per_week=len(employee.working_weekdays),
        employment_start=employee.employment_start,
        employment_end=employee.employment_end,
        suspensions=tuple((item.start, item.end) for item in employee.employment_suspensions.all()),
        extra_days=employee.extra_leave_days or ZERO,
    )



def ledger_start_year(employee: User) -> int:
    start = settings.LEAVE_LEDGER_START_YEAR
    if employee.employment_start is not None:
        start = max(start, employee.employment_start.year)
    return start


def _booked_rows(employees: Iterable[User], *, until_year: int):
    return (LeaveRequest.objects
            .filter(request__applicant__in=employees, request__status__in=BOOKED_STATUSES,
                    leave_type__deducts_from_balance=True, start_date__lte=datetime.date(until_year, 12, 31))
            .select_related("request"))


def _booking(row: LeaveRequest, employee: User, municipal_days_off=None) -> Booking:
    if row.start_date.year == row.end_date.year:
        # The days the approver saw: a later change of the city's days off does not rewrite approved leave.
        days_per_year = {row.start_date.year: row.working_days}
    else:
        days_per_year = rules.working_days_per_year(days.employee_daily_values(
            employee=employee, start=row.start_date, end=row.end_date, half_day_start=row.half_day_start,
            half_day_end=row.half_day_end, municipal_days_off=municipal_days_off))
    return Booking(start=row.start_date, days_per_year=days_per_year,
                   approved=row.request.status == RequestStatus.APPROVED, request_id=row.request_id)


def bookings_of(employee: User, *, until_year: int, exclude_request_id: int | None = None) -> list[Booking]:
    """The employee's approved and pending annual leave up to the end of `until_year` (one query, plus one for
    municipal days off where a request spans New Year)."""
    rows = _booked_rows([employee], until_year=until_year).filter(
        end_date__gte=datetime.date(ledger_start_year(employee), 1, 1))
    if exclude_request_id is not None:
        rows = rows.exclude(request_id=exclude_request_id)
    return [_booking(row, employee) for row in rows]


def _ledger(employee: User, year: int, bookings: Iterable[Booking]) -> _Year:
    bookings = list(bookings)
    facts = entitlement_input(employee)
    extended = {item.year for item in employee.carry_over_extensions.all()}
    carried = ZERO
    state: _Year | None = None
    for current in range(ledger_start_year(employee), year + 1):
        deadline = rules.carry_over_deadline(current, extended=current in extended)
        approved = sum((b.days_per_year.get(current, ZERO) for b in bookings if b.approved), ZERO)
        pending = sum((b.days_per_year.get(current, ZERO) for b in bookings if not b.approved), ZERO)
        started_in_time = sum((b.days_per_year.get(current, ZERO) for b in bookings if b.start <= deadline), ZERO)
        state = _Year(entitlement=rules.annual_entitlement(current, facts), carried_over=carried, approved=approved,
                      pending=pending, carry_used=min(carried, started_in_time), deadline=deadline)
        carried = state.left_at_year_end
    if state is None:  # a year before the ledger starts: the portal books nothing there
        facts_year = rules.annual_entitlement(year, facts)
        state = _Year(entitlement=facts_year, carried_over=ZERO, approved=ZERO, pending=ZERO, carry_used=ZERO,
                      deadline=rules.carry_over_deadline(year))
    return state


def _balance(year: int, state: _Year, *, on: datetime.date, extra_days: Decimal) -> LeaveBalance:
    expired = state.carried_over - state.carry_used if on > state.deadline else ZERO
    return LeaveBalance(
        year=year, entitlement=state.entitlement, carried_over=state.carried_over, approved=state.approved,
        pending=state.pending, remaining=state.entitlement + state.carried_over - expired - state.used, expired=expired,
        carry_over_deadline=state.deadline, shortfall=state.shortfall, extra_days=extra_days,
        carry_used=state.carry_used,
    )


def leave_balance(*, employee: User, year: int, on: datetime.date | None = None, exclude_request_id: int | None = None,
                  proposed: Booking | None = None) -> LeaveBalance:
    """The annual leave of `employee` in `year` as of `on` (today by default).

    `proposed` adds a request not yet filed (for "remaining after this request"); `exclude_request_id`
    leaves out the request being changed, so that it is not counted twice.
    """
    on = on or timezone.localdate()
    bookings = bookings_of(employee, until_year=year, exclude_request_id=exclude_request_id)
    if proposed is not None:
        bookings.append(proposed)
    return _balance(year, _ledger(employee, year, bookings), on=on, extra_days=employee.extra_leave_days or ZERO)


def balance_years(*, today: datetime.date, start: datetime.date | None = None, end: datetime.date | None = None) -> list[int]:
    """The years whose annual leave the leave form and the dashboard show.

    The years the chosen dates fall in; without dates this year, and in December the next one as well,
    because that is when January's leave is planned.
    """
    if start is not None:
        last = end if end is not None and end >= start else start
        return list(range(start.year, last.year + 1))
    return [today.year, today.year + 1] if today.month == 12 else [today.year]


def leave_balances_after(*, employee: User, booking: Booking, exclude_request_id: int | None = None,
                         on: datetime.date | None = None) -> dict[int, LeaveBalance]:
    """The balance of every year the proposed leave touches, as it would be with it (one ledger per year)."""
    return {year: leave_balance(employee=employee, year=year, on=on, exclude_request_id=exclude_request_id, proposed=booking)
            for year in sorted(booking.days_per_year)}


def leave_balances_of(employee_years: Iterable[tuple[User, int]], *, on: datetime.date | None = None
                      ) -> dict[tuple[int, int], LeaveBalance]:
    """The balance of many people, each in the years asked for, by (person id, year): what `leave_balance` says of
    each, in a fixed number of queries however many people (for lists such as the approver's queue)."""
    on = on or timezone.localdate()
    wanted: dict[int, set[int]] = {}
    people: dict[int, User] = {}
    for employee, year in employee_years:
        people[employee.pk] = employee
        wanted.setdefault(employee.pk, set()).add(year)
    if not people:
        return {}
    # In their own order, not the models' (by the person's name, which would join the people again).
    prefetch_related_objects(
        list(people.values()),
        Prefetch("employment_suspensions", queryset=EmploymentSuspension.objects.order_by("start", "pk")),
        Prefetch("carry_over_extensions", queryset=CarryOverExtension.objects.order_by("year", "pk")))
    rows = list(_booked_rows(people.values(), until_year=max(max(years) for years in wanted.values())))
    spanning = [row for row in rows if row.start_date.year != row.end_date.year]
    municipal_days_off = days.municipal_days_off_between(min(row.start_date for row in spanning),
                                                         max(row.end_date for row in spanning)) if spanning else {}
    bookings: dict[int, list[Booking]] = {pk: [] for pk in people}
    for row in rows:
        employee = people[row.request.applicant_id]
        if row.end_date >= datetime.date(ledger_start_year(employee), 1, 1):
            bookings[employee.pk].append(_booking(row, employee, municipal_days_off))
    balances = {}
    for pk, years in wanted.items():
        employee = people[pk]
        for year in years:
            booked = [booking for booking in bookings[pk] if booking.start <= datetime.date(year, 12, 31)]
            balances[(pk, year)] = _balance(year, _ledger(employee, year, booked), on=on,
                                            extra_days=employee.extra_leave_days or ZERO)
    return balances
