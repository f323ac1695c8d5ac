"""The right of access: the security page, and the JSON of everything the portal holds about the person."""

import datetime
import json
import logging

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.attachments import attachment_create
from services.delegation import services as delegation_services
from services.leave.feeds import calendar_feed_token_create
from services.leave.models import CalendarFeedScope
from services.models import AuditAction, AuditEvent, EventAction, Notification, RequestEvent, RequestStatus
from services.privacy.export import personal_data_of
from tests.factories import leave_request

EXPORT = "/account/security/my-data.json"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RECOVERY_SEED = "f0e1d2c3b4a5968778695a4b3c2d1e0f"


def filed(applicant, approver, *, note: str = "Sommerurlaub"):
    request = leave_request(applicant=applicant, status=RequestStatus.APPROVED)
    request.leave.note = note
    request.leave.save()
    request.extra_answers = {"reason": {"label": "Anlass", "answer": "Familienfeier"}}
    request.save()
    RequestEvent.objects.create(request=request, action=EventAction.SUBMITTED, actor=applicant, to_status=RequestStatus.SUBMITTED)
    RequestEvent.objects.create(request=request, action=EventAction.APPROVED, actor=approver, from_status=RequestStatus.SUBMITTED,
                                to_status=RequestStatus.APPROVED, comment="Genehmigt, gute Erholung")
    attachment_create(request=request, uploaded=SimpleUploadedFile("einladung.pdf", b"%PDF-1.4\n%%EOF\n"), uploaded_by=applicant)
    Notification.objects.create(recipient=applicant, request=request, message=f"Antrag {request.reference} genehmigt")
    return request


@pytest.fixture
def anna_world(applicant, approver, colleague, unit):
    """Anna with a request, a delegation to her, a substitute, a calendar subscription, TOTP, a session; Clara with her own."""
    request = filed(applicant, approver)
    now = timezone.now()
    delegation = delegation_services.delegation_create(
        delegator=approver, delegate=applicant, unit=unit, codenames=["decide_leave"], reason="Urlaubsvertretung",
        starts_at=now, ends_at=now + datetime.timedelta(days=5))
    applicant.out_of_office_substitute = colleague
    applicant.save()
    feed = calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)
    Authenticator.objects.create(user=applicant, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    Authenticator.objects.create(user=applicant, type=Authenticator.Type.RECOVERY_CODES, data={"seed": RECOVERY_SEED})
    UserSession.objects.create(user=applicant, session_key="annasessionkey0123456789abcdef", ip="198.51.100.7",
                               user_agent="Firefox")
    clara_request = filed(colleague, approver, note="Claras geheime Notiz")
    calendar_feed_token_create(user=colleague, scope=CalendarFeedScope.OWN)
    return {"request": request, "delegation": delegation, "feed": feed, "clara_request": clara_request}


def download(client):
    response = client.get(EXPORT)
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_export_is_a_private_json_attachment(applicant_client, anna_world):
    response, _ = download(applicant_client)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_export_holds_everything_about_the_person(applicant_client, applicant, approver, colleague, anna_world):
    _, data = download(applicant_client)
    assert data["profile"]["email"] == applicant.email
    assert data["profile"]["personnel_number"] == applicant.personnel_number
    assert data["profile"]["unit"]["code"] == "32"
    assert data["profile"]["working_weekdays"] == [1, 2, 3, 4, 5]
    [request] = data["requests"]
    assert request["reference"] == anna_world["request"].reference
    assert request["details"]["note"] == "Sommerurlaub"
    assert request["details"]["leave_type"]
    assert request["extra_answers"]["reason"]["answer"] == "Familienfeier"
    assert [event["action"] for event in request["events"]] == ["submitted", "approved"]
    assert request["events"][1]["by"]["name"] == "Bernd Keller"
    assert request["events"][1]["comment"] == "Genehmigt, gute Erholung"
    assert request["attachments"][0] | {"uploaded": None} == {
        "name": "einladung.pdf", "content_type": "application/pdf", "size": 15, "uploaded": None,
        "uploaded_by": {"name": "Anna Schmidt", "email": applicant.email}}
    assert sorted(item["message"] for item in data["notifications"]) == [
        f"Antrag {request['reference']} genehmigt", "Bernd Keller hat eine Zuständigkeit an Sie delegiert"]
    assert data["delegations_received"][0]["number"] == anna_world["delegation"].pk
    assert data["delegations_received"][0]["delegator"]["name"] == "Bernd Keller"
    assert data["delegations_given"] == []
    assert data["substitute_while_on_leave"]["email"] == colleague.email
    assert [item["scope"] for item in data["calendar_subscriptions"]] == ["own"]
    assert sorted(item["type"] for item in data["second_factors"]) == ["recovery_codes", "totp"]
    assert data["sessions"][0]["ip"] == "198.51.100.7"
    assert data["sessions"][0]["user_agent"] == "Firefox"


def test_export_shows_what_the_person_did_to_others(approver, client_for, anna_world):
    _, data = download(client_for(approver))
    assert [event["request"] for event in data["request_events_by_or_for_me"]] == [
        anna_world["request"].reference, anna_world["clara_request"].reference]
    assert [event["action"] for event in data["audit_events_by_or_for_me"]] == [AuditAction.DELEGATED]
    assert data["delegations_given"][0]["delegate"]["name"] == "Anna Schmidt"


def test_export_holds_no_secret(applicant_client, applicant, anna_world):
    response, _ = download(applicant_client)
    text = response.content.decode()
    applicant.refresh_from_db()
    for secret in (TOTP_SECRET, RECOVERY_SEED, applicant.password, "annasessionkey0123456789abcdef", anna_world["feed"].token):
        assert secret not in text
    assert "password" not in text and "session_key" not in text and "token" not in text


def test_export_holds_nothing_of_another_person(applicant_client, colleague, anna_world):
    response, data = download(applicant_client)
    text = response.content.decode()
    assert anna_world["clara_request"].reference not in text
    assert "Claras geheime Notiz" not in text
    assert colleague.personnel_number not in text
    # Clara is Anna's substitute: her name and address appear there, and nowhere else.
    assert text.count(colleague.email) == 1


def test_export_is_logged(applicant_client, anna_world, caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        download(applicant_client)
    [record] = [record for record in caplog.records if getattr(record, "security", {}).get("event") == "data_exported"]
    assert record.security["user"] == "anna.schmidt@musterstadt.example"
    assert record.security["requests"] == 1


def test_export_costs_the_same_queries_for_one_and_ten_requests(applicant, approver, applicant_client, site):
    filed(applicant, approver)
    applicant_client.get(EXPORT)  # warm the per-process caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert applicant_client.get(EXPORT).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for _ in range(9):
        filed(applicant, approver)
    AuditEvent.objects.create(action=AuditAction.GRANTED, actor=applicant, subject="x")
    assert len(personal_data_of(applicant)["requests"]) == 10
    assert queries() == few


def test_anonymous_visitors_are_sent_to_the_login(client):
    for path in (EXPORT, "/account/security/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_security_page_links_everything(applicant_client, site):
    response = applicant_client.get("/en/account/security/")
    assert response.status_code == 200
    html = response.content.decode()
    for href in ("/en/accounts/2fa/", "/en/accounts/sessions/", "/en/accounts/password/change/", "/en/account/security/my-data.json"):
        assert f'href="{href}"' in html
    assert "Security and data" in html
    assert "no-store" in response["Cache-Control"]


def test_header_links_the_security_page(applicant_client, site):
    html = applicant_client.get("/en/requests/").content.decode()
    assert 'href="/en/account/security/"' in html


def test_export_holds_the_persons_phishing_reports_coffee_and_leave_notices(applicant, colleague):
    from services.coffee.services import coffee_presence_start
    from services.leave.models import LeaveExpiryNotice
    from services.phishing.models import ReportKind
    from services.phishing.services import ReportContent, phishing_report_create

    phishing_report_create(reporter=applicant, content=ReportContent(kind=ReportKind.EMAIL, subject="Konto gesperrt",
                                                                   sender="service@bank.example"))
    phishing_report_create(reporter=colleague, content=ReportContent(kind=ReportKind.EMAIL, subject="Clara's own"))
    coffee_presence_start(user=applicant, minutes=15)
    LeaveExpiryNotice.objects.create(employee=applicant, year=2028, round="01-02", carried_over_days=2,
                                     current_year_days=5, carry_over_deadline=datetime.date(2028, 3, 31))

    data = json.loads(json.dumps(personal_data_of(applicant)))

    assert [report["subject"] for report in data["phishing_reports"]] == ["Konto gesperrt"]
    assert data["phishing_reports"][0]["sender"] == "service@bank.example"
    assert data["coffee_kitchen_until"] is not None
    assert [(notice["year"], notice["round"]) for notice in data["leave_expiry_notices"]] == [(2028, "01-02")]
    assert personal_data_of(colleague)["coffee_kitchen_until"] is None
