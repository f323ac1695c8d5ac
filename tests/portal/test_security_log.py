"""Security events: one JSON line each on the logger portal.security, read here as the console would print them."""

import datetime
import io
import json
import logging
import re
import secrets
import sys

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from portal.security_log import JsonFormatter, client_address, security_event
from services import workflow
from services.delegation.services import delegation_create, delegation_revoke, responsibility_grant, substitute_set
from tests.factories import UserFactory, leave_request
from tests.portal.test_accounts import reauthenticate, totp_code

LOGIN_URL = "/en/accounts/login/"
PASSWORD = "Sonnenblume-7391-Kiesel"  # noqa: S105 - a test password that appears nowhere else


class SecurityLog:
    """What a console handler with the portal's JsonFormatter printed for portal.security."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines()]

    def of(self, event: str) -> list[dict]:
        return [line for line in self.lines() if line["event"] == event]

    def one(self, event: str) -> dict:
        found = self.of(event)
        assert len(found) == 1, f"expected one {event!r} line, got {found}"
        return found[0]


@pytest.fixture
def security_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("portal.security")
    logger.addHandler(handler)
    try:
        yield SecurityLog(stream)
    finally:
        logger.removeHandler(handler)


@pytest.fixture(autouse=True)
def empty_cache():
    """allauth counts login attempts in the cache; every test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def with_password(applicant):
    applicant.set_password(PASSWORD)
    applicant.save()
    return applicant


def log_in(client: Client, email: str, password: str = PASSWORD, **headers):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **headers)


# --- Logging in and out -----------------------------------------------------------------------------

def test_login_through_the_login_page_is_logged_without_the_password(client, with_password, security_log):
    response = log_in(client, with_password.email)

    assert response.status_code == 302
    line = security_log.one("login_succeeded")
    assert line["user"] == "anna.schmidt@musterstadt.example"
    assert line["outcome"] == "succeeded"
    assert line["staff"] is False
    assert line["client"] == "127.0.0.1"
    assert line["path"] == LOGIN_URL
    assert line["level"] == "INFO" and line["logger"] == "portal.security"
    assert PASSWORD not in security_log.text


def test_failed_login_names_the_account_tried_and_never_the_password(client, with_password, security_log):
    wrong = "Falsch-" + PASSWORD
    response = log_in(client, with_password.email, wrong)

    assert response.status_code == 200
    line = security_log.one("login_failed")
    assert line["account"] == "anna.schmidt@musterstadt.example"
    assert line["user"] is None
    assert line["outcome"] == "failed"
    assert line["path"] == LOGIN_URL
    assert security_log.of("login_succeeded") == []
    assert wrong not in security_log.text and PASSWORD not in security_log.text


def test_failed_login_for_an_unknown_account_is_logged_too(client, db, security_log):
    log_in(client, "nobody@musterstadt.example")

    assert security_log.one("login_failed")["account"] == "nobody@musterstadt.example"


def test_a_staff_login_is_tagged(client, editor, security_log):
    editor.set_password(PASSWORD)
    editor.save()

    log_in(client, editor.email)

    line = security_log.one("login_succeeded")
    assert line["user"] == "eva.berg@musterstadt.example"
    assert line["staff"] is True


def test_logout_is_logged(client, with_password, security_log):
    log_in(client, with_password.email)

    client.post("/en/accounts/logout/")

    line = security_log.one("logout")
    assert line["user"] == "anna.schmidt@musterstadt.example"
    assert line["path"] == "/en/accounts/logout/"


def test_activating_and_failing_a_second_factor_are_logged(client, with_password, security_log,
                                                           django_capture_on_commit_callbacks):
    log_in(client, with_password.email)
    reauthenticate(client, PASSWORD)
    content = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', content).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    added = security_log.of("mfa_changed")
    assert {(line["action"], line["authenticator"]) for line in added} >= {("added", "totp")}
    assert all(line["user"] == "anna.schmidt@musterstadt.example" for line in added)

    second_browser = Client()
    response = log_in(second_browser, with_password.email)
    assert response["Location"].startswith("/en/accounts/2fa/authenticate/")
    wrong_code = "000000" if totp_code(secret) != "000000" else "111111"
    second_browser.post(response["Location"], {"code": wrong_code})

    failed = security_log.one("mfa_failed")
    assert failed["user"] == "anna.schmidt@musterstadt.example"
    assert failed["authenticator"] == "totp"
    assert secret not in security_log.text and wrong_code not in security_log.text


# --- Refused access ----------------------------------------------------------------------------------

def test_colleague_opening_another_persons_request_is_refused_and_logged(applicant, colleague, client_for, security_log):
    request = leave_request(applicant=applicant)

    response = client_for(colleague).get(f"/en/requests/{request.reference}/")

    assert response.status_code == 404
    line = security_log.one("access_refused")
    assert line["user"] == "clara.wolf@musterstadt.example"
    assert line["object"] == "request"
    assert line["reference"] == request.reference
    assert line["reason"] == "not visible"
    assert line["path"] == f"/en/requests/{request.reference}/"
    assert line["client"] == "127.0.0.1"


def test_a_refused_calendar_token_is_logged_without_the_token(client, db, security_log):
    token = secrets.token_urlsafe(32)

    response = client.get(f"/calendar/{token}.ics?x=1")

    assert response.status_code == 404
    line = security_log.one("access_refused")
    assert line["object"] == "calendar_feed_token"
    assert line["user"] is None
    assert line["path"] == "/calendar/[redacted].ics"
    assert token not in security_log.text


def test_the_query_string_is_never_logged(client, colleague, client_for, applicant, security_log):
    request = leave_request(applicant=applicant)

    client_for(colleague).get(f"/en/requests/{request.reference}/?next=/secret-place/")

    assert security_log.one("access_refused")["path"] == f"/en/requests/{request.reference}/"
    assert "secret-place" not in security_log.text


# --- Decisions and delegations ------------------------------------------------------------------------

def test_a_decision_is_logged_once_it_commits(applicant, approver, security_log, django_capture_on_commit_callbacks):
    request = leave_request(applicant=applicant, step_permission="decide_leave")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="reject", comment="Zu viele Abwesende.")

    line = security_log.one("decision")
    assert line["user"] == "bernd.keller@musterstadt.example"
    assert line["decision"] == "reject"
    assert line["reference"] == request.reference
    assert line["authority"] == "own"
    assert line["on_behalf_of"] is None and line["delegation"] is None
    assert "Zu viele" not in security_log.text, "the comment is request content"


def test_a_rolled_back_decision_logs_nothing(applicant, approver, security_log, django_capture_on_commit_callbacks):
    request = leave_request(applicant=applicant, step_permission="decide_leave")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        workflow.request_decide(request=request, actor=approver, decision="approve")
        raise RuntimeError("the surrounding change fails")

    assert security_log.of("decision") == []


def test_a_delegated_decision_names_the_delegator_and_the_delegation(applicant, approver, colleague, unit, security_log,
                                                                    django_capture_on_commit_callbacks):
    request = leave_request(applicant=applicant, step_permission="decide_leave")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        delegation = delegation_create(delegator=approver, delegate=colleague, unit=unit, codenames=["decide_leave"],
                                       starts_at=now - datetime.timedelta(minutes=1), ends_at=now + datetime.timedelta(days=7),
                                       reason="Urlaubsvertretung")
        workflow.request_decide(request=request, actor=colleague, decision="approve")

    line = security_log.one("decision")
    assert line["user"] == "clara.wolf@musterstadt.example"
    assert line["authority"] == "delegation"
    assert line["on_behalf_of"] == "bernd.keller@musterstadt.example"
    assert line["delegation"] == delegation.pk


def test_a_forward_is_logged_as_a_decision(applicant, approver, colleague, security_log, django_capture_on_commit_callbacks):
    request = leave_request(applicant=applicant, step_permission="decide_leave")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_forward(request=request, actor=approver, to=colleague)

    line = security_log.one("decision")
    assert line["decision"] == "forward"
    assert line["forwarded_to"] == "clara.wolf@musterstadt.example"


def test_delegation_changes_are_logged(approver, colleague, unit, security_log, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        delegation = delegation_create(delegator=approver, delegate=colleague, unit=unit, codenames=["decide_leave"],
                                       starts_at=now + datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=5),
                                       reason="Urlaubsvertretung")
        delegation_revoke(delegation=delegation, actor=approver)
        substitute_set(holder=approver, substitute=colleague)

    created, revoked, substitute = security_log.of("delegation_changed")
    assert created["action"] == "delegated" and revoked["action"] == "revoked"
    for line in (created, revoked):
        assert line["user"] == "bernd.keller@musterstadt.example"
        assert line["delegation"] == delegation.pk
        assert line["unit"] == "32"
        assert line["codenames"] == ["decide_leave"]
    assert substitute["action"] == "substitute_set"
    assert substitute["substitute"] == "clara.wolf@musterstadt.example"
    assert "Urlaubsvertretung" not in security_log.text, "the reason is content, kept in the audit trail"


def test_a_granted_responsibility_is_logged_with_its_holder(colleague, unit, security_log, django_capture_on_commit_callbacks):
    admin = UserFactory(email="admin@musterstadt.example", is_staff=True, is_superuser=True, unit=None)

    with django_capture_on_commit_callbacks(execute=True):
        responsibility_grant(actor=admin, holder=colleague, unit=unit, codenames=["decide_leave", "decide_vpn_access"])

    line = security_log.one("delegation_changed")
    assert line["action"] == "granted"
    assert line["user"] == "admin@musterstadt.example"
    assert line["holder"] == "clara.wolf@musterstadt.example"
    assert line["unit"] == "32"
    assert line["codenames"] == ["decide_leave", "decide_vpn_access"]


def test_a_delegation_change_that_rolls_back_logs_nothing(approver, colleague, unit, security_log,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        substitute_set(holder=approver, substitute=colleague)
        raise RuntimeError("the surrounding change fails")

    assert security_log.of("delegation_changed") == []


def test_an_audit_export_is_logged_with_its_period(client_for, db, security_log):
    admin = UserFactory(email="admin@musterstadt.example", is_staff=True, is_superuser=True, unit=None)

    response = client_for(admin).get("/en/audit/export/?start=2030-01-01&end=2030-01-31")

    assert response.status_code == 200
    line = security_log.one("audit_exported")
    assert line["user"] == "admin@musterstadt.example"
    assert line["period"] == "2030-01-01/2030-01-31"
    assert line["path"] == "/en/audit/export/"


# --- Client address, fields, format ----------------------------------------------------------------

FORWARDED = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7", "REMOTE_ADDR": "10.0.0.1"}


def test_client_is_the_peer_address_when_no_proxy_is_trusted(client, with_password, security_log):
    log_in(client, with_password.email, "falsch", **FORWARDED)

    assert security_log.one("login_failed")["client"] == "10.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_is_taken_from_x_forwarded_for_behind_one_trusted_proxy(client, with_password, security_log):
    log_in(client, with_password.email, "falsch", **FORWARDED)

    assert security_log.one("login_failed")["client"] == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_is_taken_from_x_forwarded_for_where_the_view_has_no_request(applicant, colleague, client_for, security_log):
    request = leave_request(applicant=applicant)

    client_for(colleague).get(f"/en/requests/{request.reference}/", **FORWARDED)

    assert security_log.one("access_refused")["client"] == "198.51.100.7"


@pytest.mark.parametrize(("count", "meta", "expected"), [
    (2, {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7", "REMOTE_ADDR": "10.0.0.1"}, "203.0.113.9"),
    (2, {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    (1, {"HTTP_X_FORWARDED_FOR": "not-an-address", "REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    (1, {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    (0, {"REMOTE_ADDR": ""}, None),
])
def test_client_address_counts_trusted_proxies_from_the_right(settings, count, meta, expected):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_address(meta) == expected


def test_secret_looking_fields_are_dropped(security_log):
    security_event("probe", password="p-value", new_password="n-value", token="t-value", session_key="s-value",
                   csrfmiddlewaretoken="c-value", otp="o-value", code="k-value", recovery_codes=["r-value"],
                   detail={"api_key": "a-value", "kept": "visible"}, codenames=["decide_leave"], reason="visible too")

    line = security_log.one("probe")
    assert line["detail"] == {"kept": "visible"}
    assert line["codenames"] == ["decide_leave"]
    assert line["reason"] == "visible too"
    assert line["dropped"] == sorted(["password", "new_password", "token", "session_key", "csrfmiddlewaretoken", "otp",
                                      "code", "recovery_codes", "detail.api_key"])
    assert "-value" not in security_log.text


def test_fields_cannot_overwrite_the_lines_own_keys(security_log):
    security_event("probe", client="198.51.100.1", path="/forged/")

    line = security_log.one("probe")
    assert line["client"] != "198.51.100.1" and line["path"] != "/forged/"
    assert line["dropped"] == ["client", "path"]


def test_an_ordinary_record_with_a_traceback_is_one_json_line():
    logger = logging.getLogger("tests.security_log")
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        record = logger.makeRecord(logger.name, logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/en/x/",),
                                   exc_info=sys.exc_info())

    text = JsonFormatter().format(record)

    assert "\n" not in text
    line = json.loads(text)
    assert line["level"] == "ERROR"
    assert line["logger"] == "tests.security_log"
    assert line["message"] == "Internal Server Error: /en/x/"
    assert line["exception"].startswith("Traceback (most recent call last)")
    assert "ZeroDivisionError: division by zero" in line["exception"]


def test_the_console_prints_json_and_django_request_only_errors():
    root = logging.getLogger()
    assert any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers)
    assert root.level == logging.WARNING
    assert logging.getLogger("django.request").level == logging.ERROR
    assert logging.getLogger("portal.security").level == logging.INFO


def test_pytests_caplog_sees_security_events(caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        security_event("probe", reason="for caplog")

    (record,) = [record for record in caplog.records if record.name == "portal.security"]
    assert record.security["event"] == "probe"
    assert record.security["reason"] == "for caplog"
