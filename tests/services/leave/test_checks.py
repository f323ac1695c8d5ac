"""Checks at submission (services.leave.checks through the leave form), leave types as records, and where the balance shows."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from services import workflow
from services.kinds import registry
from services.leave.models import LeaveOccasion, LeaveRequest, LeaveType
from services.models import RequestStatus, ServiceRequest
from tests.factories import leave_request, leave_type_record

date = datetime.date
TODAY = datetime.datetime(2027, 1, 11, 9, 0, tzinfo=datetime.UTC)  # a Monday


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.LEAVE_LEDGER_START_YEAR = 2027  # nothing carried into 2027: 30 days of annual leave
    with time_machine.travel(TODAY, tick=False), translation.override("en"):
        yield


def leave_form(applicant, *, start: date, end: date, leave_type: str = "annual", **extra):
    data = {"leave_type": leave_type_record(leave_type).pk, "start_date": start.isoformat(), "end_date": end.isoformat(),
            "substitute": "", "note": "", **extra}
    return registry.get("leave").form_class(data, applicant=applicant)


def errors_of(form) -> dict:
    assert not form.is_valid()
    return {field: " ".join(messages) for field, messages in form.errors.items()}


def test_overlap_with_own_leave_names_its_dates(applicant):
    leave_request(applicant=applicant, start=date(2027, 1, 18), days=5, status=RequestStatus.APPROVED)
    form = leave_form(applicant, start=date(2027, 1, 20), end=date(2027, 1, 22))
    assert errors_of(form) == {"start_date": "You already have leave from 18.01.2027 to 22.01.2027."}


@pytest.mark.parametrize("status", [RequestStatus.REJECTED, RequestStatus.WITHDRAWN, RequestStatus.CANCELLED])
def test_leave_that_was_given_back_does_not_overlap(applicant, status):
    leave_request(applicant=applicant, start=date(2027, 1, 18), days=5, status=status)
    assert leave_form(applicant, start=date(2027, 1, 20), end=date(2027, 1, 22)).is_valid()


def test_changing_a_request_does_not_overlap_with_itself(applicant):
    request = leave_request(applicant=applicant, start=date(2027, 1, 18), days=5, status=RequestStatus.CHANGES_REQUESTED)
    data = {"leave_type": leave_type_record().pk, "start_date": "2027-01-19", "end_date": "2027-01-22", "substitute": "", "note": ""}
    form = registry.get("leave").form_class(data, applicant=applicant, instance=request.leave)
    assert form.is_valid(), form.errors


def test_annual_leave_beyond_the_balance_is_refused(applicant):
    leave_request(applicant=applicant, start=date(2027, 2, 1), days=26, status=RequestStatus.APPROVED)  # 20 days
    form = leave_form(applicant, start=date(2027, 5, 3), end=date(2027, 5, 21))  # 15 weekdays less Ascension Day and Whit Monday
    message = errors_of(form)["end_date"]
    assert "needs 13 days of 2027" in message and "only 10 days" in message


def test_special_leave_does_not_count_against_the_balance(applicant):
    leave_request(applicant=applicant, start=date(2027, 2, 1), days=40, status=RequestStatus.APPROVED)
    assert leave_form(applicant, start=date(2027, 5, 3), end=date(2027, 5, 21), leave_type="special").is_valid()


def test_a_period_of_only_holidays_and_weekends_is_refused(applicant):
    form = leave_form(applicant, start=date(2027, 1, 1), end=date(2027, 1, 3))  # New Year's Day, Saturday, Sunday
    assert "01.01.2027 to 03.01.2027 contains no working day" in errors_of(form)["end_date"]


def test_half_day_on_a_type_that_forbids_it_is_refused(applicant):
    form = leave_form(applicant, start=date(2027, 1, 18), end=date(2027, 1, 19), leave_type="special", half_day_start="on")
    assert errors_of(form) == {"half_day_start": "Special leave (unpaid, TVöD §28) cannot be taken in half days."}


def test_a_date_in_a_closed_year_is_refused(applicant):
    form = leave_form(applicant, start=date(2026, 12, 28), end=date(2027, 1, 4))
    assert errors_of(form) == {"start_date": "The year 2026 is closed: leave can no longer be requested for 28.12.2026."}


def test_a_substitute_on_approved_leave_is_refused(applicant, colleague):
    leave_request(applicant=colleague, start=date(2027, 1, 25), days=5, status=RequestStatus.APPROVED)
    form = leave_form(applicant, start=date(2027, 1, 27), end=date(2027, 1, 28), substitute=colleague.email)
    assert errors_of(form) == {"substitute": "Your substitute Clara Wolf is on leave from 25.01.2027 to 29.01.2027."}


def test_forged_leave_type_id_is_a_field_error(applicant):
    form = leave_form(applicant, start=date(2027, 1, 18), end=date(2027, 1, 19))
    form.data = {**form.data, "leave_type": "999999"}
    assert "“999999” is not one of the types of leave offered" in errors_of(form)["leave_type"]


def test_an_inactive_leave_type_cannot_be_chosen(applicant):
    LeaveType.objects.filter(code="flexitime").update(active=False)
    form = leave_form(applicant, start=date(2027, 1, 18), end=date(2027, 1, 18), leave_type="flexitime")
    assert "not one of the types of leave offered" in errors_of(form)["leave_type"]


def test_the_code_of_a_leave_type_is_understood_as_old_drafts_hold_it(applicant):
    form = leave_form(applicant, start=date(2027, 1, 18), end=date(2027, 1, 19))
    form.data = {**form.data, "leave_type": "annual"}
    assert form.is_valid(), form.errors
    assert form.cleaned_data["leave_type"].code == "annual"


def test_occasion_is_required_for_paid_time_off_for_an_occasion(applicant):
    form = leave_form(applicant, start=date(2027, 1, 18), end=date(2027, 1, 18), leave_type="occasion")
    assert errors_of(form) == {"occasion": "Choose the occasion for the paid time off."}


def test_an_occasion_gives_at_most_its_days(applicant):
    relocation = LeaveOccasion.objects.get(code="relocation")
    form = leave_form(applicant, start=date(2027, 1, 18), end=date(2027, 1, 19), leave_type="occasion", occasion=relocation.pk)
    assert "at most 1 working days" in errors_of(form)["end_date"]


def test_a_yearly_limit_counts_what_was_already_requested(applicant):
    child_ill = LeaveOccasion.objects.get(code="child_ill")
    first = leave_request(applicant=applicant, start=date(2027, 2, 1), days=3, status=RequestStatus.APPROVED, leave_type="occasion")
    first.leave.occasion = child_ill
    first.leave.save()
    form = leave_form(applicant, start=date(2027, 3, 1), end=date(2027, 3, 2), leave_type="occasion", occasion=child_ill.pk)
    assert "at most 4 working days in 2027; 3 are already requested or approved" in errors_of(form)["end_date"]


def test_the_seeded_occasions_follow_tvoed_29(db):
    occasions = {occasion.code: (occasion.max_days, occasion.per_calendar_year) for occasion in LeaveOccasion.objects.all()}
    assert occasions == {
        "birth": (1, False), "death": (2, False), "relocation": (1, False), "jubilee": (1, False),
        "relative_ill": (1, True), "child_ill": (4, True), "carer_ill": (4, True), "medical": (None, False),
    }


# --- Where the balance shows -----------------------------------------------------------------------


def test_working_days_endpoint_returns_the_balance_after_this_request(applicant_client):
    response = applicant_client.get("/en/requests/working-days/", {"start": "2027-04-12", "end": "2027-04-16"})
    assert response.json() == {"working_days": "5", "remaining_after": "25", "deducts_from_balance": True,
                               "balances": [{"year": 2027, "remaining_after": "25"}]}


def test_working_days_endpoint_leaves_the_balance_for_types_that_do_not_count(applicant_client):
    special = leave_type_record("special")
    response = applicant_client.get("/en/requests/working-days/", {"start": "2027-04-12", "end": "2027-04-16",
                                                                   "leave_type": special.pk})
    assert response.json()["remaining_after"] == "30"
    assert response.json()["deducts_from_balance"] is False


def test_check_button_shows_the_balance_after_this_request(applicant_client, site):
    data = {"leave_type": leave_type_record().pk, "start_date": "2027-04-12", "end_date": "2027-04-16", "substitute": "",
            "note": "", "action": "check"}
    content = applicant_client.post("/en" + site["services"]["leave"].url, data).content.decode()
    assert "Annual leave remaining after this request: 25" in content
    assert not ServiceRequest.objects.exists()


def test_approver_sees_the_applicants_balance_and_the_applicant_does_not(applicant, approver, client_for):
    details = LeaveRequest(leave_type=leave_type_record(), start_date=date(2027, 4, 12), end_date=date(2027, 4, 16),
                           working_days=Decimal("5"))
    request = workflow.request_submit(applicant=applicant, kind=registry.get("leave"), details=details)
    approver_page = client_for(approver).get(f"/en/requests/{request.reference}/").content.decode()
    applicant_page = client_for(applicant).get(f"/en/requests/{request.reference}/").content.decode()
    assert "Annual leave of Anna Schmidt in 2027 (this request included)" in approver_page
    assert "Annual leave of Anna Schmidt" not in applicant_page


def test_dashboard_shows_my_annual_leave(applicant, applicant_client, site):
    leave_request(applicant=applicant, start=date(2027, 4, 12), days=5, status=RequestStatus.APPROVED)
    content = applicant_client.get("/en/").content.decode()
    assert "My annual leave" in content
    assert 'data-leave-remaining>25<' in content


def test_leave_type_requiring_proof_needs_an_attachment(applicant_client, site):
    LeaveType.objects.filter(code="annual").update(attachment_required=True)
    data = {"leave_type": leave_type_record().pk, "start_date": "2027-04-12", "end_date": "2027-04-16", "substitute": "",
            "note": "", "action": "submit"}
    response = applicant_client.post("/en" + site["services"]["leave"].url, data)
    assert response.status_code == 200
    assert "Attach the proof this type of leave needs" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_working_days_are_stored_with_the_employees_pattern(applicant):
    applicant.working_weekdays = [1, 2, 3, 4]
    applicant.save()
    form = leave_form(applicant, start=date(2027, 4, 12), end=date(2027, 4, 18))
    assert form.is_valid(), form.errors
    assert form.working_days() == Decimal("4")
