"""The "Organisation" menu in the Wagtail admin: read-only org units and delegations, responsibilities for superusers."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from portal.models import OrgUnit, OrgUnitUserPermission
from services.delegation.models import Delegation
from services.models import AuditAction, AuditEvent
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin(db):
    user = UserFactory(email="admin@musterstadt.example", is_staff=True, is_superuser=True, unit=None)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin's language is the person's choice, not the request's
    profile.save()
    return user


@pytest.fixture
def admin_client(admin, client_for):
    return client_for(admin)


@pytest.fixture
def editor_client(editor, client_for):
    """An editor who may use the admin and look at org units and delegations."""
    editor.user_permissions.add(*Permission.objects.filter(
        content_type__app_label__in=["wagtailadmin", "portal", "services"],
        codename__in=["access_admin", "view_orgunit", "view_delegation"]))
    return client_for(editor)


@pytest.fixture
def delegation(approver, colleague, unit):
    now = timezone.now()
    return Delegation.objects.create(
        delegator=approver, delegate=colleague, unit=unit, permissions=["decide_leave"],
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=7), reason="Urlaub",
    )


def url(name: str, *args) -> str:
    return reverse(f"{name}", args=args)


def test_superuser_sees_the_org_unit_listing_with_parent_and_level(admin_client, unit):
    response = admin_client.get(url("orgunit:index"))

    content = response.content.decode()
    assert response.status_code == 200
    row = next(row for row in re.findall(r"<tr.*?</tr>", content, re.S) if "Ordnungsamt" in row)
    assert "Stadtverwaltung Musterstadt" in row  # the parent unit
    assert "Office (Amt)" in content
    assert admin_client.get(url("orgunit:inspect", unit.pk)).status_code == 200


def test_superuser_sees_the_delegation_listing(admin_client, delegation):
    response = admin_client.get(url("delegation:index"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Decide leave requests" in content
    assert "Clara Wolf" in content
    assert admin_client.get(url("delegation:inspect", delegation.pk)).status_code == 200


def test_the_organisation_menu_is_in_the_admin(admin_client, db):
    content = admin_client.get("/admin/").content.decode()

    assert "Organisation" in content


def test_org_units_and_delegations_cannot_be_changed_even_by_superusers(admin_client, unit, delegation):
    for path in [url("orgunit:add"), url("orgunit:edit", unit.pk), url("orgunit:delete", unit.pk),
                 url("delegation:add"), url("delegation:edit", delegation.pk), url("delegation:delete", delegation.pk)]:
        assert admin_client.get(path).status_code in (302, 403), path
        admin_client.post(path, {"name": "Hacked", "reason": "Hacked"})

    assert OrgUnit.objects.get(pk=unit.pk).name == "Ordnungsamt"
    assert Delegation.objects.get(pk=delegation.pk).reason == "Urlaub"
    assert Delegation.objects.filter(pk=delegation.pk).exists()


def test_editor_may_look_but_not_change(editor_client, unit, delegation):
    assert editor_client.get(url("orgunit:index")).status_code == 200
    for path in [url("orgunit:edit", unit.pk), url("orgunit:delete", unit.pk), url("delegation:edit", delegation.pk),
                 url("delegation:delete", delegation.pk)]:
        assert editor_client.get(path).status_code in (302, 403), path
        editor_client.post(path, {"name": "Hacked", "reason": "Hacked"})

    assert OrgUnit.objects.get(pk=unit.pk).name == "Ordnungsamt"
    assert Delegation.objects.get(pk=delegation.pk).reason == "Urlaub"


def test_editors_do_not_read_the_citys_delegations_and_their_reasons(editor_client, delegation):
    """Delegations are seen by those who gave, received or administer them; an editor's view permission opens nothing."""
    for path in [url("delegation:index"), url("delegation:inspect", delegation.pk)]:
        response = editor_client.get(path)
        assert response.status_code in (302, 403), path
        assert "Urlaub" not in response.content.decode()


def test_editor_cannot_manage_responsibilities(editor_client, approver, unit):
    holding = OrgUnitUserPermission.objects.filter(user=approver).first()

    assert editor_client.get(url("orgunituserpermission:index")).status_code in (302, 403)
    assert editor_client.get(url("orgunituserpermission:add")).status_code in (302, 403)
    editor_client.post(url("orgunituserpermission:delete", holding.pk))

    assert OrgUnitUserPermission.objects.filter(pk=holding.pk).exists()


def test_superuser_grants_a_responsibility_with_an_audit_event(admin, admin_client, colleague, unit):
    permission = Permission.objects.get(content_type__app_label="portal", codename="decide_leave")

    assert admin_client.get(url("orgunituserpermission:add")).status_code == 200
    response = admin_client.post(url("orgunituserpermission:add"),
                                 {"user": colleague.pk, "content_object": unit.pk, "permission": permission.pk})

    assert response.status_code == 302
    assert colleague.has_perm("portal.decide_leave", unit)
    event = AuditEvent.objects.get(action=AuditAction.GRANTED)
    assert event.actor == admin
    assert event.detail["permissions"] == ["decide_leave"]
    listing = admin_client.get(url("orgunituserpermission:index")).content.decode()
    assert "Clara Wolf" in listing


def test_only_responsibilities_can_be_granted(admin_client, colleague, unit):
    not_a_responsibility = Permission.objects.get(content_type__app_label="portal", codename="change_orgunit")

    response = admin_client.post(url("orgunituserpermission:add"),
                                 {"user": colleague.pk, "content_object": unit.pk, "permission": not_a_responsibility.pk})

    assert response.status_code == 200
    assert not OrgUnitUserPermission.objects.filter(user=colleague).exists()
    assert not AuditEvent.objects.exists()


def test_superuser_withdraws_a_responsibility_with_an_audit_event(admin, admin_client, approver, unit):
    holding = OrgUnitUserPermission.objects.get(user=approver, permission__codename="decide_leave")

    response = admin_client.post(url("orgunituserpermission:delete", holding.pk))

    assert response.status_code == 302
    assert not OrgUnitUserPermission.objects.filter(pk=holding.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.WITHDRAWN)
    assert event.actor == admin
    assert event.detail["permissions"] == ["decide_leave"]


def test_responsibilities_cannot_be_edited_in_place(admin_client, approver):
    holding = OrgUnitUserPermission.objects.filter(user=approver).first()

    assert admin_client.get(url("orgunituserpermission:edit", holding.pk)).status_code in (302, 403)


def test_the_editors_group_may_look_at_org_units_and_delegations_but_not_change_them(editor, client_for, unit, delegation):
    from django.contrib.auth.models import Group

    from home.editorial import editor_permissions_grant

    editor_permissions_grant()
    editor.groups.add(Group.objects.get(name="Editors"))
    client = client_for(editor)

    assert client.get(url("orgunit:index")).status_code == 200
    assert client.get(url("orgunit:edit", unit.pk)).status_code in (302, 403)
    client.post(url("orgunit:edit", unit.pk), {"name": "Hacked"})
    unit.refresh_from_db()
    assert unit.name == "Ordnungsamt"
    assert client.get(url("orgunituserpermission:index")).status_code in (302, 403)


def test_superusers_see_a_failed_decision_document_with_its_error_and_nobody_edits_one(admin_client, editor_client,
                                                                                       applicant, approver):
    from services import workflow
    from services.documents.models import DecisionDocument, DocumentOutcome, DocumentStatus
    from services.documents.services import verification_code_new
    from tests.factories import leave_request

    request = leave_request(applicant=applicant, step_permission="decide_leave")
    workflow.request_decide(request=request, actor=approver, decision="approve", expected_step=request.current_step)
    failed = DecisionDocument.objects.create(
        request=request, event=request.events.get(action="approved"), outcome=DocumentOutcome.APPROVED, kind="leave",
        decided_at=timezone.now(), language="de", verification_code=verification_code_new(), status=DocumentStatus.FAILED,
        attempts=2,
        error="Traceback …\nTemplateSyntaxError: Invalid block tag 'endblok'")

    listing = admin_client.get(url("decision_documents:index"))
    assert listing.status_code == 200
    content = listing.content.decode()
    assert request.reference in content and "TemplateSyntaxError: Invalid block tag" in content
    assert admin_client.get(url("decision_documents:inspect", failed.pk)).status_code == 200
    assert admin_client.get(url("decision_documents:add")).status_code in (302, 403)
    assert admin_client.get(url("decision_documents:edit", failed.pk)).status_code in (302, 403)
    assert editor_client.get(url("decision_documents:index")).status_code in (302, 403)


def test_editors_may_define_pulse_surveys_and_set_the_letterhead(editor):
    from django.contrib.auth.models import Group

    from home.editorial import EDITORS_GROUP, editor_permissions_grant

    editor_permissions_grant()
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    editor = type(editor).objects.get(pk=editor.pk)
    assert editor.has_perm("services.add_survey") and editor.has_perm("services.change_survey")
    assert editor.has_perm("services.change_letterhead")
    assert not editor.has_perm("services.view_surveyanswer")
