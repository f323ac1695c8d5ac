"""The leave form and the dashboard show the balance of the year the dates fall in, and next year's in December."""

import datetime
import re

import pytest
import time_machine

from services.leave.ledger import balance_years
from tests.factories import leave_type_record

date = datetime.date
JUNE = datetime.datetime(2027, 6, 14, 9, 0, tzinfo=datetime.UTC)
DECEMBER = datetime.datetime(2027, 12, 2, 9, 0, tzinfo=datetime.UTC)


def years_shown(response) -> list[int]:
    return [int(year) for year in re.findall(r'data-leave-balance-year="(\d+)"', response.content.decode())]


@pytest.fixture(autouse=True)
def ledger_start(settings):
    settings.LEAVE_LEDGER_START_YEAR = 2027


@pytest.mark.parametrize(("today", "start", "end", "expected"), [
    (date(2027, 6, 14), None, None, [2027]),
    (date(2027, 12, 2), None, None, [2027, 2028]),
    (date(2027, 12, 2), date(2028, 1, 3), date(2028, 1, 7), [2028]),
    (date(2027, 6, 14), date(2027, 12, 27), date(2028, 1, 7), [2027, 2028]),
    (date(2027, 6, 14), date(2028, 3, 6), None, [2028]),
    (date(2027, 6, 14), date(2028, 3, 6), date(2028, 3, 1), [2028]),  # out of order: the first day's year
])
def test_balance_years(today, start, end, expected):
    assert balance_years(today=today, start=start, end=end) == expected


@pytest.fixture
def browser_on(applicant, client_for):
    """The applicant's browser, logged in on the pinned day (a login does not last across months)."""
    def make():
        return client_for(applicant, mfa=False)
    return make


def test_dashboard_shows_this_year_and_in_december_next_year_too(browser_on, site):
    with time_machine.travel(JUNE, tick=False):
        assert years_shown(browser_on().get("/")) == [2027]
    with time_machine.travel(DECEMBER, tick=False):
        assert years_shown(browser_on().get("/")) == [2027, 2028]


def test_leave_form_shows_the_balance_of_the_year_of_the_dates(browser_on, site):
    page = site["services"]["leave"]
    with time_machine.travel(JUNE, tick=False):
        client = browser_on()
        assert years_shown(client.get(page.url)) == [2027]
        checked = client.post(page.url, {
            "leave_type": leave_type_record().pk, "start_date": "2028-03-06", "end_date": "2028-03-10", "substitute": "",
            "note": "", "action": "check"})
    assert checked.status_code == 200
    assert years_shown(checked) == [2028]


def test_leave_form_in_december_shows_next_year_as_well(browser_on, site):
    with time_machine.travel(DECEMBER, tick=False):
        assert years_shown(browser_on().get(site["services"]["leave"].url)) == [2027, 2028]


def test_working_days_endpoint_gives_no_count_for_dates_out_of_order(applicant_client, site):
    response = applicant_client.get("/requests/working-days/", {"start": "2027-06-18", "end": "2027-06-14"})

    assert response.status_code == 400
    assert "working_days" not in response.json()
