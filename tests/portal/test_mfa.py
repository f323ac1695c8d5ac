"""Two-factor authentication before deciding, delegating, administering and exporting; re-authentication
before the most far-reaching acts (portal.mfa)."""

import datetime
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from portal.models import OrgUnitUserPermission
from services import workflow
from services.delegation.models import Delegation
from services.delegation.services import delegation_create
from services.models import RequestStatus
from tests.factories import UserFactory, leave_request, logged_in_client, reauthentication_record
from tests.portal.test_accounts import PASSWORD, log_in, logged_in_user_id, reauthenticate, totp_code
from tests.portal.test_security_log import security_log  # noqa: F401 (a fixture)

MFA_PAGE = "/accounts/2fa/"


def set_up_totp(client) -> str:
    """Activate an authenticator app through allauth's own pages, as a person does; return its secret."""
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client)
    content = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', content).group(1)
    assert client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}).status_code == 302
    return secret


@pytest.fixture
def pending(applicant):
    """A submitted leave request routed to its first step (decide_leave), as request_submit leaves it."""
    return leave_request(applicant=applicant, step_permission="decide_leave")


# --- Deciding -------------------------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
def test_an_approver_without_mfa_cannot_decide_until_it_is_set_up(client, approver, pending, decision):
    log_in(client, approver.email)
    detail = client.get(f"/requests/{pending.reference}/").content.decode()
    assert 'id="mfa-needed"' in detail and 'name="decision"' not in detail

    response = client.post(f"/requests/{pending.reference}/decide/",
                           {"decision": decision, "comment": "Passt", "expected_step": pending.current_step})

    assert response.status_code == 302 and response["Location"] == MFA_PAGE
    pending.refresh_from_db()
    assert pending.status == RequestStatus.SUBMITTED
    assert not pending.events.filter(action__in=["approved", "rejected", "changes_requested"]).exists()

    set_up_totp(client)
    assert 'name="decision"' in client.get(f"/requests/{pending.reference}/").content.decode()
    response = client.post(f"/requests/{pending.reference}/decide/",
                           {"decision": decision, "comment": "Passt", "expected_step": pending.current_step})
    assert response["Location"] == "/queue/"
    pending.refresh_from_db()
    assert pending.status != RequestStatus.SUBMITTED


def test_forwarding_needs_mfa(approver, colleague, pending):
    client = logged_in_client(approver, mfa=False)
    response = client.post(f"/requests/{pending.reference}/forward/",
                           {"email": colleague.email, "expected_step": pending.current_step})
    assert response["Location"] == MFA_PAGE
    assert not pending.events.filter(action="forwarded").exists()


def test_a_forwarded_colleague_without_mfa_cannot_decide(approver, colleague, pending):
    workflow.request_forward(request=pending, actor=approver, to=colleague)
    client = logged_in_client(colleague, mfa=False)
    assert 'id="mfa-needed"' in client.get(f"/requests/{pending.reference}/").content.decode()
    response = client.post(f"/requests/{pending.reference}/decide/",
                           {"decision": "approve", "expected_step": pending.current_step})
    assert response["Location"] == MFA_PAGE
    pending.refresh_from_db()
    assert pending.status == RequestStatus.SUBMITTED


def test_a_delegate_without_mfa_cannot_decide(approver, unit, pending):
    delegate = UserFactory(unit=unit)
    delegation_create(delegator=approver, delegate=delegate, unit=unit, codenames=["decide_leave"],
                      starts_at=timezone.now() - datetime.timedelta(hours=1),
                      ends_at=timezone.now() + datetime.timedelta(days=7), reason="Urlaub")
    response = logged_in_client(delegate, mfa=False).post(
        f"/requests/{pending.reference}/decide/", {"decision": "approve", "expected_step": pending.current_step})
    assert response["Location"] == MFA_PAGE
    pending.refresh_from_db()
    assert pending.status == RequestStatus.SUBMITTED


def test_someone_without_authority_is_refused_as_before_not_sent_to_mfa(applicant, pending):
    """The applicant may see the request but not decide it: the refusal says so; MFA is not the question."""
    client = logged_in_client(applicant, mfa=False)
    response = client.post(f"/requests/{pending.reference}/decide/",
                           {"decision": "approve", "expected_step": pending.current_step})
    assert response["Location"] == f"/requests/{pending.reference}/"


def test_a_stranger_without_mfa_gets_404_not_the_mfa_page(unit, pending):
    client = logged_in_client(UserFactory(), mfa=False)
    response = client.post(f"/requests/{pending.reference}/decide/",
                           {"decision": "approve", "expected_step": pending.current_step})
    assert response.status_code == 404


def test_the_queue_tells_an_approver_without_mfa_to_set_it_up(approver, pending):
    content = logged_in_client(approver, mfa=False).get("/queue/").content.decode()
    assert pending.reference in content and 'id="mfa-needed"' in content
    assert 'id="mfa-needed"' not in logged_in_client(approver).get("/queue/").content.decode()


# --- Bulk approval: MFA and re-authentication ------------------------------------------------------------


def test_bulk_approval_needs_mfa(approver, pending):
    response = logged_in_client(approver, mfa=False).post("/queue/", {"selected": [pending.reference]})
    assert response["Location"] == MFA_PAGE
    pending.refresh_from_db()
    assert pending.status == RequestStatus.SUBMITTED


def test_bulk_approval_asks_for_the_password_again_and_then_approves(approver, pending):
    client = logged_in_client(approver, reauthenticated=False)
    response = client.post("/queue/", {"selected": [pending.reference], "comment": "Alles gut"})
    assert response["Location"].startswith("/accounts/reauthenticate/?next=%2Fqueue%2F")
    pending.refresh_from_db()
    assert pending.status == RequestStatus.SUBMITTED

    # allauth replays the form that was posted once the password is confirmed.
    response = client.post(response["Location"], {"password": PASSWORD})
    pending.refresh_from_db()
    assert pending.status == RequestStatus.APPROVED
    assert pending.events.get(action="approved").comment == "Alles gut"


def test_re_authentication_holds_for_fifteen_minutes(approver, unit):
    first, second = (leave_request(applicant=UserFactory(unit=unit), step_permission="decide_leave") for _ in range(2))
    client = logged_in_client(approver)  # re-authenticated now
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=14)):
        client.post("/queue/", {"selected": [first.reference]})
    first.refresh_from_db()
    assert first.status == RequestStatus.APPROVED
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = client.post("/queue/", {"selected": [second.reference]})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    second.refresh_from_db()
    assert second.status == RequestStatus.SUBMITTED


# --- Delegating ----------------------------------------------------------------------------------------


def _delegation_form(unit, delegate) -> dict:
    start = timezone.localtime() + datetime.timedelta(hours=1)
    return {"delegate_email": delegate.email, "unit": unit.pk, "permissions": ["decide_leave"],
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"), "reason": "Urlaub"}


def test_delegating_needs_mfa(approver, unit):
    client = logged_in_client(approver, mfa=False)
    assert client.get("/delegations/new/")["Location"] == MFA_PAGE
    response = client.post("/delegations/new/", _delegation_form(unit, UserFactory(unit=unit)))
    assert response["Location"] == MFA_PAGE
    assert not Delegation.objects.exists()


def test_delegating_asks_for_the_password_again_and_keeps_the_form(approver, unit):
    delegate = UserFactory(unit=unit)
    client = logged_in_client(approver, reauthenticated=False)
    response = client.post("/delegations/new/", _delegation_form(unit, delegate))
    assert response["Location"].startswith("/accounts/reauthenticate/?next=%2Fdelegations%2Fnew%2F")
    assert not Delegation.objects.exists()

    client.post(response["Location"], {"password": PASSWORD})
    assert Delegation.objects.get().delegate == delegate


def test_revoking_a_delegation_needs_mfa_and_re_authentication(approver, unit):
    delegation = delegation_create(delegator=approver, delegate=UserFactory(unit=unit), unit=unit,
                                   codenames=["decide_leave"], starts_at=timezone.now(),
                                   ends_at=timezone.now() + datetime.timedelta(days=7), reason="Urlaub")
    assert logged_in_client(approver, mfa=False).post(f"/delegations/{delegation.pk}/revoke/")["Location"] == MFA_PAGE
    response = logged_in_client(approver, reauthenticated=False).post(f"/delegations/{delegation.pk}/revoke/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    delegation.refresh_from_db()
    assert delegation.revoked_at is None

    logged_in_client(approver).post(f"/delegations/{delegation.pk}/revoke/")
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_a_holder_naming_a_substitute_needs_mfa(approver, colleague):
    response = logged_in_client(approver, mfa=False).post("/delegations/substitute/",
                                                          {"substitute_email": colleague.email})
    assert response["Location"] == MFA_PAGE
    approver.refresh_from_db()
    assert approver.out_of_office_substitute is None


# --- Administering and exporting ---------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_the_wagtail_admin_needs_mfa_for_editors(client, editor):
    editor.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    log_in(client, editor.email)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == MFA_PAGE

    secret = set_up_totp(client)
    assert client.get("/admin/").status_code == 200

    # The next login asks for the code, and then the admin opens.
    browser = logged_in_client(editor, mfa=False, reauthenticated=False)
    browser.logout()
    assert log_in(browser, editor.email)["Location"].startswith("/accounts/2fa/authenticate/")
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):  # a fresh code, not the one just used
        browser.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
        assert logged_in_user_id(browser) == str(editor.pk)
        assert browser.get("/admin/").status_code == 200


def test_granting_a_responsibility_needs_re_authentication(superuser, unit):
    holder = UserFactory(unit=unit)
    permission = Permission.objects.get(codename="decide_leave", content_type__app_label="portal")
    form = {"user": holder.pk, "content_object": unit.pk, "permission": permission.pk}
    client = logged_in_client(superuser, reauthenticated=False)
    response = client.post(reverse("orgunituserpermission:add"), form)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not OrgUnitUserPermission.objects.filter(user=holder).exists()

    reauthentication_record(client, superuser)
    client.post(reverse("orgunituserpermission:add"), form)
    assert OrgUnitUserPermission.objects.filter(user=holder, permission=permission).exists()


def test_the_audit_export_needs_mfa_and_re_authentication(superuser):
    period = {"start": "2027-01-01", "end": "2027-12-31"}
    assert logged_in_client(superuser, mfa=False).get("/audit/export/", period)["Location"] == MFA_PAGE
    response = logged_in_client(superuser, reauthenticated=False).get("/audit/export/", period)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = logged_in_client(superuser).get("/audit/export/", period)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_the_audit_export_answers_404_to_others_before_asking_for_anything(colleague):
    assert logged_in_client(colleague, mfa=False, reauthenticated=False).get("/audit/").status_code == 404


def test_a_refused_action_is_a_security_event(approver, pending, security_log):  # noqa: F811
    logged_in_client(approver, mfa=False).post("/queue/", {"selected": [pending.reference]})
    line = security_log.one("access_refused")
    assert line["reason"] == "mfa_required" and line["path"] == "/queue/" and line["user"] == approver.email


def test_an_authenticator_counts_only_once_activated(approver):
    """allauth keeps no half-activated authenticator: without a row there is no second factor."""
    client = logged_in_client(approver, mfa=False)
    assert not Authenticator.objects.filter(user=approver).exists()
    client.get("/accounts/2fa/totp/activate/")
    assert client.get("/delegations/new/")["Location"] == MFA_PAGE


def test_a_second_factor_asserted_by_the_city_provider_counts(approver, pending):
    """A login through the identity provider whose ID token named a second factor (portal.sso) needs no
    authenticator of the portal's own."""
    client = logged_in_client(approver, mfa=False)
    session = client.session
    session["mfa_from_provider"] = True
    session.save()
    client.post(f"/requests/{pending.reference}/decide/", {"decision": "approve", "expected_step": pending.current_step})
    pending.refresh_from_db()
    assert pending.status == RequestStatus.APPROVED
