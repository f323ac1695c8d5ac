"""The team calendar (/team/calendar/) and the approver's warning when too much of a unit would be away."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.leave import absences
from services.leave.models import LeaveRequest
from services.models import RequestStatus, ServiceRequest
from tests.factories import OrgUnitFactory, UserFactory, leave_request, make_holder

# A month in the future with no public holiday in NRW on a weekday in the second week.
MONTH = datetime.date(2031, 3, 1)
MONDAY = datetime.date(2031, 3, 10)


def calendar_page(client, month: datetime.date = MONTH, **params):
    query = "&".join([f"month={month:%Y-%m}", *(f"{key}={value}" for key, value in params.items())])
    return client.get(f"/en/team/calendar/?{query}")


def approved_leave(person, start: datetime.date = MONDAY, days: int = 5, **fields):
    request = leave_request(applicant=person, status=RequestStatus.APPROVED, start=start, days=days)
    if fields:
        LeaveRequest.objects.filter(request=request).update(**fields)
    return request


@pytest.fixture
def calendar_client(colleague, client_for, site):
    return client_for(colleague)


def test_calendar_shows_who_is_absent_but_never_the_type_of_leave(applicant, calendar_client):
    approved_leave(applicant)

    response = calendar_page(calendar_client)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Schmidt" in content
    assert content.count(">absent<") == 5
    for private in ("Annual leave", "Erholungsurlaub", "Sonderurlaub", "Type of leave"):
        assert private not in content


def test_calendar_is_a_table_with_caption_and_headers_for_days_and_people(applicant, colleague, approver, calendar_client):
    content = calendar_page(calendar_client).content.decode()

    assert re.search(r"<caption[^>]*>\s*Absences in Ordnungsamt, March 2031\s*</caption>", content)
    assert len(re.findall(r'<th scope="col"', content)) == 1 + 31
    assert len(re.findall(r'<th scope="row"', content)) == 3
    assert "Monday" in content and "10.03." in content
    assert content.count(">weekend<") == 10


def test_calendar_marks_half_days_as_text(applicant, calendar_client):
    approved_leave(applicant, start=MONDAY, days=2, half_day_start=True)

    content = calendar_page(calendar_client).content.decode()

    assert content.count("absent half of the day") == 1 and "½" in content
    assert content.count(">absent<") == 1


def test_calendar_names_public_holidays(calendar_client):
    content = calendar_page(calendar_client, month=datetime.date(2031, 1, 1)).content.decode()

    assert "Public holiday: New Year" in content


def test_calendar_leaves_out_pending_leave_and_other_units(applicant, calendar_client, unit):
    leave_request(applicant=applicant, status=RequestStatus.SUBMITTED, start=MONDAY)
    elsewhere = UserFactory(unit=OrgUnitFactory(parent=unit.get_parent(), code="20", name="Kämmerei"), last_name="Fremdling")
    approved_leave(elsewhere)

    content = calendar_page(calendar_client).content.decode()

    assert "Fremdling" not in content
    assert ">absent<" not in content


def test_calendar_navigates_by_month(calendar_client):
    content = calendar_page(calendar_client, month=datetime.date(2027, 1, 1)).content.decode()

    assert "January 2027" in content
    assert 'href="?month=2026-12"' in content and 'href="?month=2027-02"' in content
    assert len(re.findall(r'<th scope="col"', content)) == 1 + 31


def test_calendar_falls_back_to_this_month_for_a_malformed_month(calendar_client):
    response = calendar_client.get("/en/team/calendar/?month=2027-13")
    assert response.status_code == 200
    assert response.context["first"] == timezone.localdate().replace(day=1)


def test_calendar_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get("/team/calendar/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_approver_may_open_the_calendar_of_a_unit_below_but_a_colleague_may_not(unit, approver, applicant, client_for, site):
    section = OrgUnitFactory(parent=unit, code="32-1", name="Sachgebiet Gewerbe")
    worker = UserFactory(unit=section, last_name="Gewerbetreibend")
    approved_leave(worker)

    approver_view = calendar_page(client_for(approver), unit="32-1")
    colleague_view = calendar_page(client_for(applicant), unit="32-1")

    assert approver_view.status_code == 200 and "Gewerbetreibend" in approver_view.content.decode()
    assert colleague_view.status_code == 404


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = calendar_page(client)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_calendar_costs_the_same_queries_for_3_and_30_people(unit, calendar_client, applicant):
    approved_leave(applicant)
    count_queries(calendar_client)  # warm the per-process caches
    few = count_queries(calendar_client)
    for number in range(27):
        person = UserFactory(unit=unit)
        approved_leave(person, start=MONDAY + datetime.timedelta(days=number % 4), days=2)
    assert absences.team_members(unit).count() == 30
    many = count_queries(calendar_client)
    assert many == few


# --- The approver's warning -----------------------------------------------------------------------------


def pending_leave(applicant):
    """Submitted leave, routed to the responsibility for leave as the workflow would route it."""
    request = leave_request(applicant=applicant, start=MONDAY, days=5)
    ServiceRequest.objects.filter(pk=request.pk).update(step_permission="decide_leave")
    return request


@pytest.fixture
def team_of_ten(unit, approver, applicant, colleague):
    """Ten people in the unit; three of the others are away on Wednesday and Thursday of the week in question."""
    others = [UserFactory(unit=unit) for _ in range(7)]
    for person in (colleague, *others[:2]):
        approved_leave(person, start=MONDAY + datetime.timedelta(days=2), days=2)
    return others


def test_approver_is_warned_of_days_when_more_than_the_share_would_be_absent(applicant, approver, team_of_ten, client_for, site,
                                                                             settings):
    settings.TEAM_ABSENCE_WARNING_SHARE = 0.3
    request = pending_leave(applicant)

    content = client_for(approver).get(f"/en/requests/{request.reference}/").content.decode()

    assert 'id="absence-warning"' in content
    assert "More than 30 % of the unit would be absent" in content
    assert 'datetime="2031-03-12"' in content and 'datetime="2031-03-13"' in content
    assert 'datetime="2031-03-10"' not in content and 'datetime="2031-03-14"' not in content


def test_no_warning_at_or_below_the_share(applicant, approver, team_of_ten, client_for, site, settings):
    settings.TEAM_ABSENCE_WARNING_SHARE = 0.4  # four of ten is not more than 40 %
    request = pending_leave(applicant)

    content = client_for(approver).get(f"/en/requests/{request.reference}/").content.decode()

    assert 'id="absence-warning"' not in content


def test_applicant_sees_no_warning_about_colleagues(applicant, team_of_ten, applicant_client, site, settings):
    settings.TEAM_ABSENCE_WARNING_SHARE = 0.1
    request = pending_leave(applicant)

    content = applicant_client.get(f"/en/requests/{request.reference}/").content.decode()

    assert 'id="absence-warning"' not in content


def test_crowded_days_skip_weekends(applicant, approver, colleague, settings):
    request = leave_request(applicant=applicant, start=MONDAY - datetime.timedelta(days=2), days=3)  # Sat–Mon

    days = absences.crowded_absence_days(request=request, share=0.0)

    assert days == [MONDAY]


def test_warning_share_is_read_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings.base import env_float

    monkeypatch.setenv("TEAM_ABSENCE_WARNING_SHARE", "0.5")
    assert env_float("TEAM_ABSENCE_WARNING_SHARE", 0.3, minimum=0, maximum=1) == 0.5
    monkeypatch.setenv("TEAM_ABSENCE_WARNING_SHARE", "half")
    with pytest.raises(ImproperlyConfigured, match="TEAM_ABSENCE_WARNING_SHARE"):
        env_float("TEAM_ABSENCE_WARNING_SHARE", 0.3, minimum=0, maximum=1)
    monkeypatch.setenv("TEAM_ABSENCE_WARNING_SHARE", "1.5")
    with pytest.raises(ImproperlyConfigured, match="TEAM_ABSENCE_WARNING_SHARE"):
        env_float("TEAM_ABSENCE_WARNING_SHARE", 0.3, minimum=0, maximum=1)


def test_approved_absences_never_read_the_type_of_leave(applicant):
    approved_leave(applicant)
    absence = absences.team_absences(unit=applicant.unit, year=MONTH.year, month=MONTH.month).get()
    deferred = absence.get_deferred_fields()
    assert "note" in deferred and any(name.startswith("leave_type") for name in deferred)


def test_holders_without_leave_responsibility_see_only_their_own_unit(unit, client_for, site):
    it_reviewer = make_holder(unit.get_parent(), "review_it_security")
    response = calendar_page(client_for(it_reviewer), unit="32")
    assert response.status_code == 404
