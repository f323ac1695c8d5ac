"""What the pages show about the leave balance: on the leave form, in the working-days endpoint, to approvers.

Context builders only; the figures come from services.leave_selectors and the rules from
services.leave_rules. Kept apart from services.views so that the view functions stay thin.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format

from portal.models import User
from services import leave_rules, leave_selectors, permissions
from services.leave_selectors import LeaveBalance
from services.models import FINAL_STATUSES, RequestStatus, ServiceRequest


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
    values = leave_rules.employee_daily_values(employee=employee, start=start, end=end, half_day_start=half_day_start,
                                               half_day_end=half_day_end)
    days = sum(values.values(), Decimal("0"))
    deducts = leave_type is None or leave_type.deducts_from_balance
    booking = leave_selectors.Booking(start=start, days_per_year=leave_rules.working_days_per_year(values), approved=False)
    # As of the first day of the leave: carried-over days that expire before it are no longer there for it.
    on = max(timezone.localdate(), start)
    if deducts:
        balances = leave_selectors.leave_balances_after(employee=employee, booking=booking, exclude_request_id=exclude_request_id,
                                                        on=on)
    else:
        balances = {year: leave_selectors.leave_balance(employee=employee, year=year, exclude_request_id=exclude_request_id, on=on)
                    for year in sorted(booking.days_per_year)}
    rows = [_after(balance) for balance in balances.values()]
    if len(rows) == 1:
        remaining = rows[0]["remaining_after"]
    else:
        remaining = "; ".join(f"{row['year']}: {row['remaining_after']}" for row in rows)
    return {"working_days": days_display(days), "remaining_after": remaining, "balances": rows,
            "deducts_from_balance": deducts}


def leave_form_balance_context(user: User, form, *, target: ServiceRequest | None = None) -> dict:
    """The balance shown on the leave form: this year's, and after "Check working days" the balance after this request."""
    exclude = target.pk if target is not None and target.status != RequestStatus.DRAFT else None
    context = {"leave_balance": leave_selectors.leave_balance(employee=user, year=timezone.localdate().year,
                                                              exclude_request_id=exclude)}
    data = getattr(form, "cleaned_data", None) if form.is_bound and not form.errors else None
    if data and data.get("start_date") and data.get("end_date"):
        payload = leave_working_days_payload(
            employee=user, start=data["start_date"], end=data["end_date"], leave_type=data.get("leave_type"),
            half_day_start=bool(data.get("half_day_start")), half_day_end=bool(data.get("half_day_end")),
            exclude_request_id=exclude)
        if payload["deducts_from_balance"]:
            context["remaining_after"] = payload["remaining_after"]
    return context


def leave_balance_context(user: User, service_request: ServiceRequest) -> dict:
    """For people who may decide a leave request: the applicant's balance in each year the leave touches.

    The request's own days are in "pending" while it waits, so "remaining" is what is left if it is approved.
    """
    if service_request.kind != "leave" or service_request.status in FINAL_STATUSES:
        return {}
    details = service_request.details
    if details is None or permissions.decision_authority(user, service_request) is None:
        return {}
    years = range(details.start_date.year, details.end_date.year + 1)
    return {"applicant_balances": [leave_selectors.leave_balance(employee=service_request.applicant, year=year) for year in years]}
