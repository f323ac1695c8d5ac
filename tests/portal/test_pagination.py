"""Long lists count their rows only up to LIST_COUNT_CAP and then say "more than"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import OrgUnit
from portal.pagination import CappedPaginator
from tests.factories import OrgUnitFactory, leave_request


@pytest.mark.django_db
def test_the_count_stops_at_the_cap_in_one_query():
    for index in range(5):
        OrgUnitFactory(code=f"U{index}", name=f"Einheit {index}")
    units = OrgUnit.objects.order_by("path")

    capped = CappedPaginator(units, 2, cap=3)
    with CaptureQueriesContext(connection) as counted:
        assert capped.count == 3
    whole = CappedPaginator(units, 2, cap=10)

    assert capped.capped and capped.num_pages == 2 and len(counted) == 1
    assert "LIMIT 4" in counted[0]["sql"]
    assert whole.count == 5 and not whole.capped and whole.num_pages == 3


def test_the_queue_says_more_than_when_the_cap_is_reached(approver, applicant, client_for, settings):
    settings.LIST_COUNT_CAP = 26
    for _ in range(27):
        leave_request(applicant=applicant, step_permission="decide_leave")

    page = client_for(approver).get("/en/queue/").content.decode()

    assert "Page 1 of more than 2" in page
    assert client_for(approver).get("/en/queue/?page=2").status_code == 200


def test_the_dashboard_counts_the_queue_up_to_the_cap(approver, applicant, client_for, site, settings):
    settings.LIST_COUNT_CAP = 3
    for _ in range(3):
        leave_request(applicant=applicant, step_permission="decide_leave")
    assert "3 requests are waiting for your decision" in client_for(approver).get("/en/").content.decode()

    leave_request(applicant=applicant, step_permission="decide_leave")
    assert "More than 3 requests are waiting for your decision" in client_for(approver).get("/en/").content.decode()
