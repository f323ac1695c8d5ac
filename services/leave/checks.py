"""Checks a leave request must pass before it is filed, each naming the dates concerned.

Called by the leave form (services.leave.forms.LeaveRequestForm.clean), so that every way of filing
(the service page, changing a request sent back, the demo seed) runs them. Each problem names the
form field it belongs to, so that the error appears where the person can fix it.

- The period has working days (not only weekends, public holidays and municipal days off).
- Half days only where the type of leave allows them.
- No day in a closed year (a year is closed once it is over: before 1 January of the current year).
- No overlap with one's own leave that is submitted, waiting for the substitute, in review, sent back for changes
  or approved.
- Annual leave within the balance of each year it touches (services.leave.ledger).
- The type's and the occasion's limits (TVöD §29: days per occasion, or per calendar year).
- The substitute is not on approved leave on any of those days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.models import User
from services.leave import days as leave_days
from services.leave import ledger, rules
from services.leave.models import LeaveRequest
from services.statuses import RequestStatus

OWN_LEAVE_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.AWAITING_SUBSTITUTE, RequestStatus.IN_REVIEW,
                      RequestStatus.CHANGES_REQUESTED, RequestStatus.APPROVED)


@dataclass(frozen=True)
class LeaveProposal:
    """A leave request as entered, before it is filed; `request_id` is the request being changed, if any."""

    employee: User
    leave_type: object
    start: datetime.date
    end: datetime.date
    half_day_start: bool = False
    half_day_end: bool = False
    occasion: object | None = None
    substitute: User | None = None
    request_id: int | None = None
    # The detail row being filed, on which the count of its days is kept (services.leave.days.leave_daily_values).
    memo: object | None = None


@dataclass(frozen=True)
class LeaveProblem:
    field: str
    message: str


def _date(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _days(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value)


def _overlapping_leave(*, applicant: User, start: datetime.date, end: datetime.date, statuses, exclude_request_id: int | None):
    rows = LeaveRequest.objects.filter(request__applicant=applicant, request__status__in=statuses,
                                       start_date__lte=end, end_date__gte=start)
    if exclude_request_id is not None:
        rows = rows.exclude(request_id=exclude_request_id)
    return rows.order_by("start_date")


def leave_request_check(*, proposal: LeaveProposal, today: datetime.date | None = None) -> list[LeaveProblem]:
    """Every problem of the proposal, in the order a person would fix them; empty when it may be filed."""
    today = today or timezone.localdate()
    problems: list[LeaveProblem] = []
    leave_type = proposal.leave_type
    start, end = proposal.start, proposal.end

    if rules.is_closed_year(start.year, today=today):
        return [LeaveProblem("start_date", _("The year %(year)d is closed: leave can no longer be requested for %(date)s.") % {
            "year": start.year, "date": _date(start)})]
    if not leave_type.half_days_allowed and (proposal.half_day_start or proposal.half_day_end):
        field = "half_day_start" if proposal.half_day_start else "half_day_end"
        problems.append(LeaveProblem(field, _("%(type)s cannot be taken in half days.") % {"type": leave_type.name}))
        return problems
    values = leave_days.leave_daily_values(employee=proposal.employee, start=start, end=end,
                                           half_day_start=proposal.half_day_start, half_day_end=proposal.half_day_end,
                                           memo=proposal.memo)
    days = sum(values.values(), Decimal("0"))
    if days <= 0:
        return [LeaveProblem("end_date", _(
            "The period from %(start)s to %(end)s contains no working day: only days off, weekends or public holidays.") % {
            "start": _date(start), "end": _date(end)})]

    for other in _overlapping_leave(applicant=proposal.employee, start=start, end=end, statuses=OWN_LEAVE_STATUSES,
                                    exclude_request_id=proposal.request_id)[:3]:
        problems.append(LeaveProblem("start_date", _("You already have leave from %(start)s to %(end)s.") % {
            "start": _date(other.start_date), "end": _date(other.end_date)}))

    if leave_type.max_days is not None and days > leave_type.max_days:
        problems.append(LeaveProblem("end_date", _(
            "%(type)s allows at most %(max)s working days per request; this period has %(days)s.") % {
            "type": leave_type.name, "max": _days(leave_type.max_days), "days": _days(days)}))

    if leave_type.requires_occasion:
        problems.extend(_occasion_problems(proposal, days=days, values=values))

    if leave_type.deducts_from_balance:
        booking = ledger.Booking(start=start, days_per_year=rules.working_days_per_year(values), approved=False)
        balances = ledger.leave_balances_after(employee=proposal.employee, booking=booking,
                                                        exclude_request_id=proposal.request_id, on=today)
        for year, balance in balances.items():
            if balance.shortfall > 0:
                needed = booking.days_per_year[year]
                problems.append(LeaveProblem("end_date", _(
                    "This leave needs %(needed)s days of %(year)d, but only %(available)s days of annual leave are left for it"
                    " (leave carried over must be started by %(deadline)s).") % {
                    "needed": _days(needed), "year": year, "available": _days(max(needed - balance.shortfall, Decimal("0"))),
                    "deadline": _date(balance.carry_over_deadline)}))

    substitute = proposal.substitute
    if substitute is not None:
        for absence in _overlapping_leave(applicant=substitute, start=start, end=end, statuses=(RequestStatus.APPROVED,),
                                          exclude_request_id=None)[:3]:
            problems.append(LeaveProblem("substitute", _("Your substitute %(person)s is on leave from %(start)s to %(end)s.") % {
                "person": substitute, "start": _date(absence.start_date), "end": _date(absence.end_date)}))
    return problems


def _occasion_problems(proposal: LeaveProposal, *, days: Decimal, values: dict) -> list[LeaveProblem]:
    """TVöD §29 (1): an occasion must be named, and its days are limited per occasion or per calendar year."""
    occasion = proposal.occasion
    if occasion is None:
        return [LeaveProblem("occasion", _("Choose the occasion for the paid time off."))]
    if occasion.max_days is None:
        return []
    if not occasion.per_calendar_year:
        if days > occasion.max_days:
            return [LeaveProblem("end_date", _("%(occasion)s gives at most %(max)s working days; this period has %(days)s.") % {
                "occasion": occasion.name, "max": _days(occasion.max_days), "days": _days(days)})]
        return []
    problems = []
    for year, needed in rules.working_days_per_year(values).items():
        taken = (LeaveRequest.objects.filter(request__applicant=proposal.employee, request__status__in=OWN_LEAVE_STATUSES,
                                             occasion=occasion, start_date__year=year)
                 .exclude(request_id=proposal.request_id or 0).aggregate(total=Sum("working_days"))["total"] or Decimal("0"))
        if taken + needed > occasion.max_days:
            problems.append(LeaveProblem("end_date", _(
                "%(occasion)s gives at most %(max)s working days in %(year)d; %(taken)s are already requested or approved.") % {
                "occasion": occasion.name, "max": _days(occasion.max_days), "year": year, "taken": _days(taken)}))
    return problems
