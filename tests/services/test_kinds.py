"""Server-side validation of each request kind, through its form class, and the working-day count."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.test import override_settings
from django.utils import translation

from services import workflow
from services.kinds import registry
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from tests.factories import UserFactory, leave_type_record, next_monday

MONDAY = datetime.date(2027, 4, 12)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted by a key word of their English source text."""
    with translation.override("en"):
        yield


def form_for(kind: str, data: dict, applicant):
    return registry.get(kind).form_class(data, applicant=applicant)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def leave_data(**overrides) -> dict:
    start = next_monday()
    data = {"leave_type": leave_type_record("annual").pk, "start_date": start.isoformat(), "end_date": (start + days(4)).isoformat(),
            "substitute": "", "note": ""}
    data.update(overrides)
    return data


def remote_work_data(**overrides) -> dict:
    data = {"variant": "regular", "weekdays": ["1", "3"], "share_percent": "", "start_date": next_monday().isoformat(),
            "end_date": "", "reachable_from": "09:00", "reachable_until": "15:00", "equipment": ["laptop"],
            "confirms_data_protection": "on", "confirms_ergonomics": "on"}
    data.update(overrides)
    return data


def vpn_data(**overrides) -> dict:
    start = next_monday()
    data = {"device": "municipal", "reason": "Rufbereitschaft am Wochenende", "start_date": start.isoformat(),
            "end_date": (start + days(90)).isoformat(), "systems": ["email", "file_shares"]}
    data.update(overrides)
    return data


def equipment_data(**overrides) -> dict:
    start = next_monday()
    data = {"items": ["monitor", "headset"], "start_date": start.isoformat(), "end_date": (start + days(30)).isoformat(),
            "confirms_address": "on", "note": ""}
    data.update(overrides)
    return data


VALID = {"leave": leave_data, "remote_work": remote_work_data, "vpn_access": vpn_data, "equipment_loan": equipment_data}


def only_error(form, field: str) -> str:
    """The form is invalid because of exactly this one field; its (single) message."""
    assert not form.is_valid()
    assert list(form.errors) == [field], form.errors
    assert len(form.errors[field]) == 1
    return form.errors[field][0]


# --- every kind -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(VALID))
def test_valid_data_passes(kind, applicant):
    form = form_for(kind, VALID[kind](), applicant)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("kind", list(VALID))
def test_end_before_start_is_refused_at_the_end_date(kind, applicant):
    start = next_monday()
    form = form_for(kind, VALID[kind](start_date=start.isoformat(), end_date=(start - days(3)).isoformat()), applicant)
    message = only_error(form, "end_date")
    assert "must not be before the start" in message
    assert start.strftime("%d.%m.%Y") in message


@pytest.mark.parametrize("kind", ["leave", "vpn_access", "equipment_loan"])
def test_period_longer_than_a_year_is_refused(kind, applicant):
    start = next_monday()
    form = form_for(kind, VALID[kind](start_date=start.isoformat(), end_date=(start + days(366)).isoformat()), applicant)
    message = only_error(form, "end_date")
    assert "at most 366 days" in message


@pytest.mark.parametrize("kind", ["leave", "vpn_access", "equipment_loan"])
def test_period_of_exactly_the_maximum_span_passes(kind, applicant):
    start = next_monday()
    # A year of leave is more than any annual leave balance: special leave, which counts against none.
    extra = {"leave_type": leave_type_record("special").pk} if kind == "leave" else {}
    form = form_for(kind, VALID[kind](start_date=start.isoformat(), end_date=(start + days(365)).isoformat(), **extra), applicant)
    assert form.is_valid(), form.errors


@override_settings(REQUEST_MAX_SPAN_DAYS=30)
def test_maximum_span_follows_the_setting(applicant):
    start = next_monday()
    form = form_for("equipment_loan", equipment_data(end_date=(start + days(30)).isoformat()), applicant)
    assert "at most 30 days" in only_error(form, "end_date")


@pytest.mark.parametrize(("kind", "field"), [
    ("leave", "start_date"), ("leave", "end_date"), ("leave", "leave_type"),
    ("remote_work", "variant"), ("remote_work", "start_date"), ("remote_work", "reachable_from"),
    ("vpn_access", "device"), ("vpn_access", "reason"), ("vpn_access", "systems"),
    ("equipment_loan", "items"), ("equipment_loan", "end_date"),
])
def test_missing_required_field_is_reported_at_that_field(kind, field, applicant):
    data = VALID[kind]()
    data.pop(field)
    form = form_for(kind, data, applicant)
    assert field in form.errors
    assert not form.is_valid()


# --- remote work ------------------------------------------------------------------------------------


def test_remote_work_longer_than_24_months_is_refused(applicant):
    start = next_monday()
    end = start + relativedelta(months=24) + days(1)
    form = form_for("remote_work", remote_work_data(start_date=start.isoformat(), end_date=end.isoformat()), applicant)
    assert "at most 24 months" in only_error(form, "end_date")


def test_remote_work_of_exactly_24_months_passes(applicant):
    start = next_monday()
    end = start + relativedelta(months=24)
    form = form_for("remote_work", remote_work_data(start_date=start.isoformat(), end_date=end.isoformat()), applicant)
    assert form.is_valid(), form.errors


def test_remote_work_may_be_open_ended(applicant):
    form = form_for("remote_work", remote_work_data(end_date=""), applicant)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["end_date"] is None


@pytest.mark.parametrize(("field", "word"), [("confirms_data_protection", "personal data"),
                                             ("confirms_ergonomics", "self-check")])
def test_remote_work_needs_both_confirmations(field, word, applicant):
    data = remote_work_data()
    data.pop(field)
    message = only_error(form_for("remote_work", data, applicant), field)
    assert "Confirm" in message and word in message


def test_regular_remote_work_needs_weekdays(applicant):
    form = form_for("remote_work", remote_work_data(variant="regular", weekdays=[]), applicant)
    assert "weekdays" in only_error(form, "weekdays")


def test_occasional_remote_work_needs_a_share(applicant):
    form = form_for("remote_work", remote_work_data(variant="occasional", weekdays=[], share_percent=""), applicant)
    assert "share" in only_error(form, "share_percent")


def test_occasional_remote_work_drops_weekdays_and_keeps_the_share(applicant):
    form = form_for("remote_work", remote_work_data(variant="occasional", weekdays=["2"], share_percent="40"), applicant)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["weekdays"] == []
    assert form.cleaned_data["share_percent"] == 40


def test_regular_remote_work_drops_the_share_and_keeps_weekdays_as_numbers(applicant):
    form = form_for("remote_work", remote_work_data(variant="regular", weekdays=["1", "5"], share_percent="40"), applicant)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["weekdays"] == [1, 5]
    assert form.cleaned_data["share_percent"] is None


@pytest.mark.parametrize("share", ["5", "90"])
def test_remote_work_share_outside_10_to_80_percent_is_refused(share, applicant):
    form = form_for("remote_work", remote_work_data(variant="occasional", weekdays=[], share_percent=share), applicant)
    assert only_error(form, "share_percent")


def test_remote_work_reachable_hours_must_be_ordered(applicant):
    form = form_for("remote_work", remote_work_data(reachable_from="15:00", reachable_until="09:00"), applicant)
    assert "after their start" in only_error(form, "reachable_until")


@pytest.mark.parametrize("weekdays", [["9"], ["0"], ["6"], ["1", "banana"]])
def test_forged_weekday_is_refused(weekdays, applicant):
    form = form_for("remote_work", remote_work_data(weekdays=weekdays), applicant)
    assert "valid choice" in only_error(form, "weekdays")


def test_forged_remote_work_variant_is_refused(applicant):
    form = form_for("remote_work", remote_work_data(variant="always"), applicant)
    assert "valid choice" in only_error(form, "variant")


def test_forged_remote_work_equipment_is_refused(applicant):
    form = form_for("remote_work", remote_work_data(equipment=["laptop", "espresso_machine"]), applicant)
    assert "valid choice" in only_error(form, "equipment")


# --- VPN access -------------------------------------------------------------------------------------


def test_private_device_needs_the_rules_confirmed(applicant):
    form = form_for("vpn_access", vpn_data(device="private"), applicant)
    message = only_error(form, "confirms_private_device_rules")
    assert "private devices" in message


def test_private_device_with_the_rules_confirmed_passes(applicant):
    form = form_for("vpn_access", vpn_data(device="private", confirms_private_device_rules="on"), applicant)
    assert form.is_valid(), form.errors


def test_municipal_device_needs_no_private_device_confirmation(applicant):
    form = form_for("vpn_access", vpn_data(device="municipal"), applicant)
    assert form.is_valid(), form.errors


def test_forged_vpn_device_and_system_are_refused(applicant):
    form = form_for("vpn_access", vpn_data(device="smart_fridge", systems=["email", "mainframe"]), applicant)
    assert not form.is_valid()
    assert set(form.errors) == {"device", "systems"}


# --- equipment loan ---------------------------------------------------------------------------------


def test_equipment_loan_needs_the_address_confirmed(applicant):
    data = equipment_data()
    data.pop("confirms_address")
    message = only_error(form_for("equipment_loan", data, applicant), "confirms_address")
    assert "Confirm" in message and "equipment" in message


def test_equipment_loan_needs_at_least_one_item(applicant):
    form = form_for("equipment_loan", equipment_data(items=[]), applicant)
    assert "at least one item" in only_error(form, "items")


def test_forged_equipment_item_is_refused(applicant):
    form = form_for("equipment_loan", equipment_data(items=["monitor", "company_car"]), applicant)
    message = only_error(form, "items")
    assert "company_car" in message and "valid choice" in message


# --- leave ------------------------------------------------------------------------------------------


def test_leave_counts_working_days_of_a_valid_week(applicant):
    form = form_for("leave", leave_data(), applicant)
    assert form.is_valid(), form.errors
    assert form.working_days() == 5


def test_leave_substitute_becomes_the_colleague(applicant, colleague):
    form = form_for("leave", leave_data(substitute="Clara.Wolf@musterstadt.example"), applicant)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["substitute"] == colleague


def test_leave_with_unknown_substitute_is_refused(applicant):
    form = form_for("leave", leave_data(substitute="nobody@musterstadt.example"), applicant)
    message = only_error(form, "substitute")
    assert "nobody@musterstadt.example" in message and "check the spelling" in message


def test_leave_with_inactive_substitute_is_refused(applicant):
    UserFactory(email="gone@musterstadt.example", is_active=False)
    form = form_for("leave", leave_data(substitute="gone@musterstadt.example"), applicant)
    assert "check the spelling" in only_error(form, "substitute")


def test_leave_with_oneself_as_substitute_is_refused(applicant):
    form = form_for("leave", leave_data(substitute=applicant.email.upper()), applicant)
    assert "own substitute" in only_error(form, "substitute")


def test_leave_over_a_weekend_only_is_refused(applicant):
    saturday = next_monday() - days(2)
    form = form_for("leave", leave_data(start_date=saturday.isoformat(), end_date=(saturday + days(1)).isoformat()), applicant)
    message = only_error(form, "end_date")
    assert "no working day" in message
    assert saturday.strftime("%d.%m.%Y") in message


def test_leave_over_a_weekend_is_refused_even_when_the_substitute_is_also_wrong(applicant):
    saturday = next_monday() - days(2)
    form = form_for("leave", leave_data(start_date=saturday.isoformat(), end_date=(saturday + days(1)).isoformat(),
                                        substitute="nobody@musterstadt.example"), applicant)
    assert not form.is_valid()
    assert "no working day" in form.errors["end_date"][0]
    assert "check the spelling" in form.errors["substitute"][0]


def test_leave_with_two_half_days_on_a_single_day_is_refused(applicant):
    monday = next_monday()
    form = form_for("leave", leave_data(start_date=monday.isoformat(), end_date=monday.isoformat(),
                                        half_day_start="on", half_day_end="on"), applicant)
    assert "at most one half day" in only_error(form, "half_day_end")


@pytest.mark.parametrize("half", ["half_day_start", "half_day_end"])
def test_leave_of_one_half_day_counts_half_a_day(half, applicant):
    monday = next_monday()
    form = form_for("leave", leave_data(start_date=monday.isoformat(), end_date=monday.isoformat(), **{half: "on"}), applicant)
    assert form.is_valid(), form.errors
    assert form.working_days() == Decimal("0.5")


def test_leave_with_half_days_at_both_ends_of_a_week(applicant):
    form = form_for("leave", leave_data(half_day_start="on", half_day_end="on"), applicant)
    assert form.is_valid(), form.errors
    assert form.working_days() == 4


def test_forged_leave_type_is_refused(applicant):
    form = form_for("leave", leave_data(leave_type="sabbatical"), applicant)
    message = only_error(form, "leave_type")
    assert "sabbatical" in message and "valid choice" in message


def test_leave_submission_stores_the_working_days(applicant):
    form = form_for("leave", leave_data(half_day_end="on"), applicant)
    assert form.is_valid(), form.errors
    request = workflow.request_submit(applicant=applicant, kind=registry.get("leave"), details=form.save(commit=False))
    details = LeaveRequest.objects.get(request=request)
    assert details.working_days == Decimal("4.5")


def test_the_service_counts_the_days_whatever_the_caller_set(applicant):
    """The stored days are the rule's, not the caller's: a direct call with a wrong count is corrected."""
    form = form_for("leave", leave_data(half_day_end="on"), applicant)
    assert form.is_valid(), form.errors
    details = form.save(commit=False)
    details.working_days = Decimal("40")
    request = workflow.request_submit(applicant=applicant, kind=registry.get("leave"), details=details)
    assert LeaveRequest.objects.get(request=request).working_days == Decimal("4.5")


# --- count_days (pure: Monday to Friday, no state, no municipal days off) ---------------------------


@pytest.mark.parametrize(("start", "end", "expected"), [
    (MONDAY, MONDAY, 1),
    (MONDAY, MONDAY + days(4), 5),              # Monday to Friday
    (MONDAY, MONDAY + days(6), 5),              # Monday to Sunday
    (MONDAY + days(4), MONDAY + days(7), 2),    # Friday to Monday
    (MONDAY + days(5), MONDAY + days(6), 0),    # Saturday and Sunday
    (MONDAY, MONDAY + days(13), 10),            # two weeks
    (MONDAY, MONDAY + days(364), 261),           # a year less a day: 52 weeks and one Monday
    (MONDAY + days(1), MONDAY, 0),              # end before start
])
def test_count_days_counts_monday_to_friday(start, end, expected):
    assert count_days(start=start, end=end) == expected


@pytest.mark.parametrize(("start", "end", "half_day_start", "half_day_end", "expected"), [
    (MONDAY, MONDAY + days(4), True, False, Decimal("4.5")),
    (MONDAY, MONDAY + days(4), False, True, Decimal("4.5")),
    (MONDAY, MONDAY + days(4), True, True, Decimal("4")),
    (MONDAY, MONDAY, True, False, Decimal("0.5")),
    (MONDAY, MONDAY, False, True, Decimal("0.5")),
    (MONDAY, MONDAY, True, True, Decimal("0.5")),                       # a single day is halved once at most
    (MONDAY + days(4), MONDAY + days(6), False, True, Decimal("1")),   # half day on a Sunday takes nothing
    (MONDAY + days(5), MONDAY + days(7), True, False, Decimal("1")),   # half day on a Saturday takes nothing
])
def test_count_days_takes_half_a_day_for_each_half_day(start, end, half_day_start, half_day_end, expected):
    assert count_days(start=start, end=end, half_day_start=half_day_start, half_day_end=half_day_end) == expected
