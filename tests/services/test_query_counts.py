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
