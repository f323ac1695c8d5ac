"""List pages must cost the same number of SQL queries however many requests they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import leave_request


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/requests/", "/"])
def test_list_pages_use_constant_queries(applicant, applicant_client, site, url):
    leave_request(applicant=applicant)
    count_queries(applicant_client, url)  # warm the per-process caches (site root, locales)
    few = count_queries(applicant_client, url)
    for _ in range(20):
        leave_request(applicant=applicant)
    many = count_queries(applicant_client, url)
    assert many == few


def test_delegation_list_uses_constant_queries(approver, unit, client_for, site):
    import datetime

    from django.utils import timezone

    from services.delegation.models import Delegation
    from tests.factories import UserFactory

    def delegate_once():
        Delegation.objects.create(delegator=approver, delegate=UserFactory(unit=unit), unit=unit, permissions=["decide_leave"],
                                  reason="Urlaub", starts_at=timezone.now(), ends_at=timezone.now() + datetime.timedelta(days=3))

    client = client_for(approver)
    delegate_once()
    count_queries(client, "/delegations/")
    few = count_queries(client, "/delegations/")
    for _ in range(10):
        delegate_once()
    assert count_queries(client, "/delegations/") == few


def test_notification_list_uses_constant_queries(applicant, applicant_client, site):
    from services.models import Notification

    def notify(count):
        for number in range(count):
            Notification.objects.create(recipient=applicant, message=f"Nachricht {number}", url="/requests/")

    notify(1)
    count_queries(applicant_client, "/notifications/")
    few = count_queries(applicant_client, "/notifications/")
    notify(20)
    assert count_queries(applicant_client, "/notifications/") == few
