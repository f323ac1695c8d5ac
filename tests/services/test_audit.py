"""The audit export: a CSV of request events and responsibility changes for a period, for administrators only."""

import csv
import datetime
import io

import pytest
import time_machine
from django.utils import timezone, translation

from services import selectors, workflow
from services.delegation.models import Delegation
from services.delegation.services import responsibility_grant
from services.models import AuditEvent, RequestEvent
from services.views.audit import neutralise, readable_detail
from tests.factories import UserFactory, leave_request


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@musterstadt.example", is_staff=True, is_superuser=True, unit=None)


@pytest.fixture
def admin_client(admin, client_for):
    return client_for(admin)


def export(client, start: datetime.date, end: datetime.date):
    return client.get(f"/en/audit/export/?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}")


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def delegated_decision(applicant, approver, colleague, unit):
    """Bernd delegates deciding leave to Clara, who approves Anna's leave request on his behalf."""
    now = timezone.now()
    delegation = Delegation.objects.create(
        delegator=approver, delegate=colleague, unit=unit, permissions=["decide_leave"],
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=7), reason="Urlaub",
    )
    request = leave_request(applicant=applicant, unit=unit, step_permission="decide_leave")
    workflow.request_decide(request=request, actor=colleague, decision="approve", comment="Gute Erholung")
    return request, delegation


def test_csv_has_a_decision_on_behalf_of_the_delegator(admin_client, delegated_decision, approver, colleague):
    request, delegation = delegated_decision

    response = export(admin_client, timezone.localdate(), timezone.localdate())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    header, *rows = rows_of(response)
    assert header[:7] == ["Time", "Record", "Request / subject", "Action", "By", "On behalf of", "Delegation"]
    decision = next(row for row in rows if row[2] == request.reference and row[3] == "Approved")
    assert colleague.email in decision[4]
    assert approver.email in decision[5]
    assert decision[6] == str(delegation.pk)
    assert decision[7:] == ["Submitted", "Approved", "1", "Gute Erholung"]


def test_csv_merges_request_and_audit_events_in_time_order(admin, admin_client, applicant, approver, unit):
    noon = datetime.datetime(2030, 3, 11, 12, 0, tzinfo=timezone.get_current_timezone())
    day = noon.date()
    with time_machine.travel(noon, tick=False):
        request = leave_request(applicant=applicant, unit=unit, step_permission="decide_leave")
        RequestEvent.objects.create(request=request, action="submitted", actor=applicant, to_status="submitted", step=1)
    with time_machine.travel(noon + datetime.timedelta(minutes=5), tick=False):
        responsibility_grant(actor=admin, holder=applicant, unit=unit, codenames=["decide_leave"])
    with time_machine.travel(noon + datetime.timedelta(minutes=10), tick=False):
        workflow.request_decide(request=request, actor=approver, decision="reject", comment="Urlaubssperre")

    header, *rows = rows_of(export(admin_client, day, day))

    assert [row[1] for row in rows] == ["Request event", "Audit event", "Request event"]
    assert [row[3] for row in rows] == ["Submitted", "Responsibility granted", "Rejected"]
    assert "permissions: Decide leave requests; " in rows[1][10] and f"unit: {unit.code}" in rows[1][10]
    assert "{" not in rows[1][10] and '"' not in rows[1][10]
    assert rows == sorted(rows, key=lambda row: row[0])
    assert len(header) == len(rows[0]) == len(rows[1])


def test_csv_respects_the_period(admin, admin_client, applicant, unit):
    local = timezone.get_current_timezone()
    inside = datetime.datetime(2030, 3, 10, 0, 30, tzinfo=local)
    before = datetime.datetime(2030, 3, 9, 23, 30, tzinfo=local)
    after = datetime.datetime(2030, 3, 12, 0, 0, tzinfo=local)
    last_second = datetime.datetime(2030, 3, 11, 23, 59, 59, tzinfo=local)
    for moment, subject in [(before, "before"), (inside, "inside"), (last_second, "last second"), (after, "after")]:
        with time_machine.travel(moment, tick=False):
            AuditEvent.objects.create(action="granted", actor=admin, subject=subject)

    _, *rows = rows_of(export(admin_client, datetime.date(2030, 3, 10), datetime.date(2030, 3, 11)))

    assert [row[2] for row in rows] == ["inside", "last second"]
    assert rows[0][0] == "2030-03-10 00:30:00"


def test_an_empty_period_gives_only_the_header(admin_client, db):
    rows = rows_of(export(admin_client, datetime.date(2001, 1, 1), datetime.date(2001, 1, 31)))

    assert len(rows) == 1


def test_a_formula_in_a_comment_is_neutralised(admin_client, applicant, approver, unit):
    request = leave_request(applicant=applicant, unit=unit, step_permission="decide_leave")
    workflow.request_decide(request=request, actor=approver, decision="reject", comment='=HYPERLINK("http://evil.example","x")')

    _, *rows = rows_of(export(admin_client, timezone.localdate(), timezone.localdate()))

    comment = next(row for row in rows if row[3] == "Rejected")[10]
    assert comment == '\'=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("value", ["=1+1", "+49 30 1234", "-2", "@SUM(A1)", "\tx"])
def test_every_formula_prefix_is_neutralised(value):
    assert neutralise(value) == f"'{value}"


def test_details_read_as_key_value_pairs():
    detail = {"unit": "32", "permissions": ["decide_leave", "unknown_one"], "allow_redelegation": True, "note": None}
    with translation.override("en"):
        assert readable_detail(detail) == ("allow_redelegation: yes; note: ; permissions: Decide leave requests, unknown_one;"
                                           " unit: 32")
    assert readable_detail({}) == ""


def test_harmless_values_stay_as_they_are():
    assert neutralise("Gute Erholung") == "Gute Erholung"
    assert neutralise(None) == ""
    assert neutralise(3) == "3"


def test_selector_yields_both_kinds_oldest_first(admin, applicant, unit):
    request = leave_request(applicant=applicant, unit=unit)
    RequestEvent.objects.create(request=request, action="submitted", actor=applicant, to_status="submitted")
    responsibility_grant(actor=admin, holder=applicant, unit=unit, codenames=["decide_leave"])

    events = list(selectors.audit_events_between(timezone.localdate(), timezone.localdate()))

    assert [type(event) for event in events] == [RequestEvent, AuditEvent]


# --- who may export, and bad input ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/en/audit/", "/en/audit/export/?start=2030-01-01&end=2030-01-31"])
@pytest.mark.parametrize("persona", ["applicant", "approver", "editor"])
def test_others_get_404(request, client_for, persona, path):
    user = request.getfixturevalue(persona)

    assert client_for(user).get(path).status_code == 404


def test_an_inactive_superuser_gets_nothing(client, admin):
    admin.is_active = False
    admin.save()
    client.force_login(admin)

    assert client.get("/en/audit/").status_code in (302, 404)


def test_visitors_are_sent_to_login(client, db):
    response = client.get("/en/audit/export/?start=2030-01-01&end=2030-01-31")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_form_page_offers_two_dates_and_a_download(admin_client):
    content = admin_client.get("/en/audit/").content.decode()

    assert 'type="date"' in content and 'name="start"' in content and 'name="end"' in content
    assert 'action="/en/audit/export/"' in content
    assert "Download CSV" in content


def test_end_before_start_shows_the_form_with_a_message(admin_client):
    response = admin_client.get("/en/audit/export/?start=2030-02-01&end=2030-01-01")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "The end of the period must not be before its start." in response.content.decode()
    # Tied to the "Until" field: the summary links to it and the field is marked invalid, with no second alert.
    page = response.content.decode()
    assert 'href="#id_end"' in page and 'id="id_end_error"' in page
    assert page.count('role="alert"') == 1
    assert "<title>Error:" in page


@pytest.mark.parametrize("query", ["start=2030-13-01&end=2030-12-31", "start=yesterday&end=2030-01-01", "", "start=2030-01-01"])
def test_bad_dates_show_the_form_with_a_message(admin_client, query):
    response = admin_client.get(f"/en/audit/export/?{query}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "Please correct the following" in content
