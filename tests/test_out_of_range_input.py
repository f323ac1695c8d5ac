"""Input at the edge of what Python and the database can hold gets a clear message or a 400, never a 500."""

import pytest

from tests.factories import UserFactory, leave_type_record, next_monday

FAR_FUTURE = "9999-12-31"
FAR_PAST = "0001-01-01"


@pytest.fixture
def admin_client(db, client_for):
    return client_for(UserFactory(email="admin@musterstadt.example", is_staff=True, is_superuser=True, unit=None))


@pytest.mark.parametrize(("start", "end"), [
    (FAR_FUTURE, FAR_FUTURE),
    (FAR_PAST, FAR_PAST),
    (next_monday().isoformat(), FAR_FUTURE),
    ("9999-12-30", FAR_FUTURE),
])
def test_leave_form_says_what_is_wrong_with_a_date_far_away(applicant_client, site, start, end):
    response = applicant_client.post(site["services"]["leave"].url, {
        "leave_type": leave_type_record("annual").pk, "start_date": start, "end_date": end,
        "substitute": "", "note": "", "action": "submit"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "error-summary" in content or "kern-error" in content


@pytest.mark.parametrize(("start", "end"), [(FAR_FUTURE, FAR_FUTURE), (FAR_PAST, FAR_PAST), ("9999-12-30", FAR_FUTURE)])
def test_working_days_answers_400_for_a_date_far_away(applicant_client, start, end):
    response = applicant_client.get("/en/requests/working-days/", {"start": start, "end": end})
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize(("start", "end"), [(FAR_FUTURE, FAR_FUTURE), (FAR_PAST, FAR_FUTURE), (FAR_PAST, FAR_PAST)])
def test_audit_export_says_what_is_wrong_with_a_date_far_away(admin_client, start, end):
    response = admin_client.get("/en/audit/export/", {"start": start, "end": end})
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    assert "Enter a date between" in response.content.decode()


@pytest.mark.parametrize("age", ["99999999999999999999999", "999999999", "-99999999999999999999999", "1e9", "٣"])
def test_queue_ignores_an_age_beyond_any_date(approver, client_for, age):
    response = client_for(approver).get("/queue/", {"age": age})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ['"', ">", '"Urlaub', "Urlaub >", "<script>", "NEAR(", "a OR", "*", "-", "^", "'"])
@pytest.mark.parametrize("anonymous", [True, False])
def test_search_answers_any_query(client, applicant_client, site, query, anonymous):
    response = (client if anonymous else applicant_client).get("/search/", {"query": query})
    assert response.status_code == 200
