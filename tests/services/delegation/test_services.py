"""Delegations, re-delegations, revocation and the out-of-office substitute: services, timing to the second, pages."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import translation

from services import workflow
from services.delegation.models import Delegation
from services.delegation.services import DelegationRefused, delegation_create, delegation_revoke, substitute_set
from services.models import AuditAction, AuditEvent, EventAction, RequestStatus, ServiceRequest
from services.permissions import decision_authority, effective_grants
from tests.factories import OrgUnitFactory, UserFactory, grant_responsibility, leave_request, make_holder

BERLIN = ZoneInfo("Europe/Berlin")
SECOND = timedelta(seconds=1)
BEFORE = datetime(2030, 3, 1, 9, 0, tzinfo=BERLIN)
STARTS_AT = datetime(2030, 3, 4, 8, 0, tzinfo=BERLIN)
ENDS_AT = datetime(2030, 3, 8, 17, 0, tzinfo=BERLIN)


def pending_leave(applicant) -> ServiceRequest:
    """A submitted leave request routed to its first step, as request_submit leaves it."""
    return leave_request(applicant=applicant, step_permission="decide_leave")


def delegate(delegator, to, unit, *, codenames=("decide_leave",), starts_at=STARTS_AT, ends_at=ENDS_AT, **kwargs) -> Delegation:
    return delegation_create(delegator=delegator, delegate=to, unit=unit, codenames=list(codenames), starts_at=starts_at,
                             ends_at=ends_at, reason="Urlaubsvertretung", **kwargs)


def can_exercise(user, permission: str = "decide_leave") -> bool:
    return any(grant.permission == permission for grant in effective_grants(user))


@pytest.fixture(autouse=True)
def in_english():
    """Refusals are asserted by their English wording; the portal's default language is German."""
    with translation.override("en"):
        yield


@pytest.fixture
def dora(unit):
    return UserFactory(email="dora.klein@musterstadt.example", first_name="Dora", last_name="Klein", unit=unit)


@pytest.fixture
def to_clara(approver, colleague, unit) -> Delegation:
    """Bernd passes leave decisions in his unit to Clara for one working week (created before it starts)."""
    with time_machine.travel(BEFORE, tick=False):
        return delegate(approver, colleague, unit)


# --- The time window, to the second --------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "grants"), [
    (STARTS_AT - SECOND, False),
    (STARTS_AT, True),
    (ENDS_AT - SECOND, True),
    (ENDS_AT, False),
], ids=["one second before the start", "at the start", "one second before the end", "at the end"])
def test_delegation_grants_exactly_within_its_window(moment, grants, to_clara, colleague, applicant, client_for):
    with time_machine.travel(BEFORE, tick=False):
        leave = pending_leave(applicant)

    with time_machine.travel(moment, tick=False):
        queue = client_for(colleague).get("/queue/").content.decode()

        assert can_exercise(colleague) is grants
        assert (leave.reference in queue) is grants


def test_revocation_counts_from_the_very_next_request(approver, colleague, applicant, unit, client_for):
    leave = pending_leave(applicant)
    delegation = delegate(approver, colleague, unit, starts_at=datetime.now(tz=BERLIN), ends_at=datetime.now(tz=BERLIN) + timedelta(days=7))
    clara = client_for(colleague)
    assert leave.reference in clara.get("/queue/").content.decode()

    client_for(approver).post(f"/delegations/{delegation.pk}/revoke/")

    assert leave.reference not in clara.get("/queue/").content.decode()
    assert not can_exercise(colleague)


def test_expired_delegation_cannot_be_used_to_decide(to_clara, colleague, applicant):
    with time_machine.travel(BEFORE, tick=False):
        leave = pending_leave(applicant)

    with time_machine.travel(ENDS_AT, tick=False), pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_decide(request=leave, actor=colleague, decision="approve")

    leave.refresh_from_db()
    assert leave.status == RequestStatus.SUBMITTED


def test_delegated_decision_records_the_delegation_and_the_holder(to_clara, approver, colleague, applicant):
    with time_machine.travel(BEFORE, tick=False):
        leave = pending_leave(applicant)

    with time_machine.travel(STARTS_AT, tick=False):
        workflow.request_decide(request=leave, actor=colleague, decision="approve")

    event = leave.events.get(action=EventAction.APPROVED)
    assert (event.actor, event.on_behalf_of, event.delegation) == (colleague, approver, to_clara)


# --- Chains ---------------------------------------------------------------------------------------------


@pytest.fixture
def chain(approver, colleague, dora, unit) -> tuple[Delegation, Delegation]:
    """Bernd → Clara (who may pass it on) → Dora."""
    with time_machine.travel(BEFORE, tick=False):
        first = delegate(approver, colleague, unit, allow_redelegation=True)
        second = delegate(colleague, dora, unit)
    return first, second


def test_redelegated_decision_is_on_behalf_of_the_holder_under_the_last_delegation(chain, approver, dora, applicant):
    first, second = chain
    with time_machine.travel(BEFORE, tick=False):
        leave = pending_leave(applicant)

    with time_machine.travel(STARTS_AT + timedelta(hours=1), tick=False):
        workflow.request_decide(request=leave, actor=dora, decision="approve")

    event = leave.events.get(action=EventAction.APPROVED)
    assert second.parent == first
    assert (event.actor, event.on_behalf_of, event.delegation) == (dora, approver, second)


def test_revoking_a_delegation_revokes_what_was_passed_on_from_it(chain, approver, dora):
    first, second = chain

    with time_machine.travel(STARTS_AT + timedelta(hours=1), tick=False):
        assert can_exercise(dora)
        delegation_revoke(delegation=first, actor=approver)

        second.refresh_from_db()
        assert second.revoked_at is not None and second.revoked_by == approver
        assert not can_exercise(dora)
    assert AuditEvent.objects.filter(action=AuditAction.REVOKED).count() == 2


def test_redelegation_cannot_outlast_its_parent(approver, colleague, dora, unit):
    with time_machine.travel(BEFORE, tick=False):
        delegate(approver, colleague, unit, allow_redelegation=True)

        with pytest.raises(DelegationRefused, match="cannot last longer"):
            delegate(colleague, dora, unit, ends_at=ENDS_AT + SECOND)
    assert not Delegation.objects.filter(delegator=colleague).exists()


def test_redelegation_cannot_pass_on_more_than_it_received(approver, colleague, dora, unit):
    with time_machine.travel(BEFORE, tick=False):
        delegate(approver, colleague, unit, allow_redelegation=True)

        with pytest.raises(DelegationRefused, match="Decide VPN access requests"):
            delegate(colleague, dora, unit, codenames=["decide_leave", "decide_vpn_access"])
        with pytest.raises(DelegationRefused, match="cannot delegate it"):
            delegate(colleague, dora, unit.get_parent())
    assert not Delegation.objects.filter(delegator=colleague).exists()


def test_delegation_without_permission_to_pass_on_cannot_be_passed_on(to_clara, colleague, dora, unit):
    with time_machine.travel(BEFORE, tick=False), pytest.raises(DelegationRefused):
        delegate(colleague, dora, unit)
    assert not Delegation.objects.filter(delegator=colleague).exists()


# --- Delegating more than one holds ----------------------------------------------------------------------


def test_delegation_for_a_unit_above_ones_own_is_refused(approver, colleague, unit):
    with time_machine.travel(BEFORE, tick=False), pytest.raises(DelegationRefused, match="cannot delegate it"):
        delegate(approver, colleague, unit.get_parent())
    assert not Delegation.objects.exists()


def test_delegation_for_another_unit_is_refused(approver, colleague, unit):
    sibling = OrgUnitFactory(parent=unit.get_parent(), code="33", name="Standesamt")

    with time_machine.travel(BEFORE, tick=False), pytest.raises(DelegationRefused, match="Standesamt"):
        delegate(approver, colleague, sibling)
    assert not Delegation.objects.exists()


def test_delegation_of_another_kind_is_refused(colleague, unit):
    leave_only = make_holder(unit, "decide_leave")

    with time_machine.travel(BEFORE, tick=False), pytest.raises(DelegationRefused, match="Decide remote work requests"):
        delegate(leave_only, colleague, unit, codenames=["decide_leave", "decide_remote_work"])
    assert not Delegation.objects.exists()


def test_delegation_to_oneself_is_refused(approver, unit):
    with time_machine.travel(BEFORE, tick=False), pytest.raises(DelegationRefused, match="yourself"):
        delegate(approver, approver, unit)
    assert not Delegation.objects.exists()


# --- The out-of-office substitute -------------------------------------------------------------------------

LEAVE_FROM = date(2030, 3, 4)
LEAVE_UNTIL = date(2030, 3, 6)


def at(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BERLIN)


@pytest.fixture
def bernd_on_leave(approver, colleague):
    """Bernd names Clara as his substitute and has approved leave from Monday to Wednesday."""
    with time_machine.travel(BEFORE, tick=False):
        substitute_set(holder=approver, substitute=colleague)
        return leave_request(applicant=approver, status=RequestStatus.APPROVED, start=LEAVE_FROM, days=3)


@pytest.mark.parametrize(("moment", "entitled"), [
    (at(LEAVE_FROM) - SECOND, False),
    (at(LEAVE_FROM), True),
    (at(LEAVE_UNTIL, 23, 59, 59), True),
    (at(LEAVE_UNTIL + timedelta(days=1)), False),
], ids=["the evening before", "the first day", "the last day", "the day after"])
def test_substitute_holds_the_responsibility_only_on_the_days_of_leave(moment, entitled, bernd_on_leave, approver, colleague,
                                                                        applicant):
    with time_machine.travel(BEFORE, tick=False):
        leave = pending_leave(applicant)

    with time_machine.travel(moment, tick=False):
        authority = decision_authority(colleague, leave)

        assert (authority is not None) is entitled
        if entitled:
            assert authority.on_behalf_of == approver and authority.delegation is None


def test_substitute_decides_on_behalf_of_the_holder_on_leave(bernd_on_leave, approver, colleague, applicant):
    with time_machine.travel(BEFORE, tick=False):
        leave = pending_leave(applicant)

    with time_machine.travel(at(LEAVE_FROM - timedelta(days=1), 12), tick=False), pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_decide(request=leave, actor=colleague, decision="approve")
    with time_machine.travel(at(LEAVE_UNTIL, 12), tick=False):
        workflow.request_decide(request=leave, actor=colleague, decision="approve")

    event = leave.events.get(action=EventAction.APPROVED)
    assert (event.actor, event.on_behalf_of, event.delegation) == (colleague, approver, None)


def test_substitute_cannot_be_oneself(approver):
    with pytest.raises(DelegationRefused):
        substitute_set(holder=approver, substitute=approver)


# --- The pages under /delegations/ ------------------------------------------------------------------------


def test_delegation_pages_require_login(client, to_clara):
    for response in (client.get("/delegations/"), client.get("/delegations/new/"),
                     client.post(f"/delegations/{to_clara.pk}/revoke/"), client.post("/delegations/substitute/")):
        assert response.status_code == 302
        assert "login" in response["Location"]
    to_clara.refresh_from_db()
    assert to_clara.revoked_at is None


def test_list_shows_what_i_delegated_and_what_i_hold(to_clara, approver, client_for):
    with time_machine.travel(STARTS_AT + SECOND, tick=False):
        response = client_for(approver).get("/en/delegations/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f"#{to_clara.pk}" in content and "Clara Wolf" in content
    assert "Active" in content
    assert "Decide leave requests" in content and "Review as IT security" in content
    assert "Ordnungsamt" in content
    assert f"/delegations/{to_clara.pk}/revoke/" in content


def test_list_shows_the_status_of_each_delegation(to_clara, approver, client_for):
    with time_machine.travel(BEFORE, tick=False):
        assert "Upcoming" in client_for(approver).get("/en/delegations/").content.decode()
    with time_machine.travel(ENDS_AT, tick=False):
        content = client_for(approver).get("/en/delegations/").content.decode()
        assert "Ended" in content
        assert f"/delegations/{to_clara.pk}/revoke/" not in content
    with time_machine.travel(STARTS_AT, tick=False):
        delegation_revoke(delegation=to_clara, actor=approver)
        assert "Revoked" in client_for(approver).get("/en/delegations/").content.decode()


def test_list_shows_the_chain_a_delegation_was_passed_on_from(chain, colleague, dora, client_for):
    first, second = chain

    with time_machine.travel(STARTS_AT, tick=False):
        content = client_for(dora).get("/en/delegations/").content.decode()

    assert f"#{second.pk}" in content
    assert f"passed on from #{first.pk} (Bernd Keller)" in content


def test_list_shows_delegations_to_my_groups(approver, dora, unit, client_for):
    team = Group.objects.create(name="Team Bürgerservice")
    dora.groups.add(team)
    with time_machine.travel(BEFORE, tick=False):
        delegation = delegation_create(delegator=approver, delegate_group=team, unit=unit, codenames=["decide_leave"],
                                       starts_at=STARTS_AT, ends_at=ENDS_AT, reason="Urlaubsvertretung")

    with time_machine.travel(STARTS_AT, tick=False):
        content = client_for(dora).get("/en/delegations/").content.decode()
        assert can_exercise(dora)

    assert f"#{delegation.pk}" in content and "Team Bürgerservice" in content
    assert f"/delegations/{delegation.pk}/revoke/" not in content


def create_post(unit, **overrides) -> dict:
    data = {"delegate_email": "clara.wolf@musterstadt.example", "delegate_group": "", "permissions": ["decide_leave"],
            "unit": unit.pk, "starts_at": "2030-03-04T08:00", "ends_at": "2030-03-08T17:00", "reason": "Urlaubsvertretung"}
    data.update(overrides)
    return data


def test_create_form_offers_only_what_one_can_delegate(unit, client_for):
    leave_only = make_holder(unit, "decide_leave")

    content = client_for(leave_only).get("/en/delegations/new/").content.decode()

    assert 'value="decide_leave"' in content
    assert 'value="decide_vpn_access"' not in content
    assert 'type="datetime-local"' in content


def test_create_through_the_form(approver, colleague, unit, client_for):
    with time_machine.travel(BEFORE, tick=False):
        response = client_for(approver).post("/en/delegations/new/", create_post(unit, allow_redelegation="on"))

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegator, delegation.delegate, delegation.unit, delegation.permissions) == (
        approver, colleague, unit, ["decide_leave"])
    assert (delegation.starts_at, delegation.ends_at, delegation.allow_redelegation) == (STARTS_AT, ENDS_AT, True)


def test_create_refuses_a_delegation_wider_than_what_one_holds(colleague, unit, client_for):
    sibling = OrgUnitFactory(parent=unit.get_parent(), code="33", name="Standesamt")
    holder = make_holder(unit, "decide_leave")
    grant_responsibility(holder, sibling, "decide_vpn_access")

    with time_machine.travel(BEFORE, tick=False):
        response = client_for(holder).post("/en/delegations/new/", create_post(unit, permissions=["decide_vpn_access"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "You do not hold “Decide VPN access requests” for Ordnungsamt" in content
    assert not Delegation.objects.exists()


def test_create_refuses_an_unknown_email_and_saves_nothing(approver, unit, client_for):
    with time_machine.travel(BEFORE, tick=False):
        response = client_for(approver).post("/en/delegations/new/", create_post(unit, delegate_email="niemand@example.org"))

    assert response.status_code == 200
    assert "No active colleague has this email address." in response.content.decode()
    assert not Delegation.objects.exists()


def test_colleague_without_responsibility_cannot_open_the_create_form(colleague, client_for):
    response = client_for(colleague).get("/en/delegations/new/")

    assert response.status_code == 302
    assert response["Location"].endswith("/delegations/")


def test_delegator_revokes(to_clara, approver, client_for):
    response = client_for(approver).post(f"/en/delegations/{to_clara.pk}/revoke/")

    assert response.status_code == 302
    to_clara.refresh_from_db()
    assert to_clara.revoked_at is not None and to_clara.revoked_by == approver


@pytest.mark.parametrize("who", ["delegate", "stranger"])
def test_nobody_else_can_revoke(who, to_clara, colleague, client_for):
    user = colleague if who == "delegate" else UserFactory()

    response = client_for(user).post(f"/en/delegations/{to_clara.pk}/revoke/")

    assert response.status_code == 404
    to_clara.refresh_from_db()
    assert to_clara.revoked_at is None


def test_revoking_asks_first_and_revokes_only_on_the_confirming_post(to_clara, approver, client_for):
    client = client_for(approver)

    listed = client.get("/en/delegations/").content.decode()
    question = client.get(f"/en/delegations/{to_clara.pk}/revoke/")

    assert f'<form method="get" action="/en/delegations/{to_clara.pk}/revoke/"' in listed
    page = question.content.decode()
    assert question.status_code == 200 and f"Revoke delegation #{to_clara.pk}?" in page
    assert "Clara" in page and f'<form method="post" action="/en/delegations/{to_clara.pk}/revoke/"' in page
    assert 'href="/en/delegations/"' in page, "a way back that keeps the delegation"
    to_clara.refresh_from_db()
    assert to_clara.revoked_at is None, "asking is not revoking"
    assert client.post(f"/en/delegations/{to_clara.pk}/revoke/").status_code == 302
    to_clara.refresh_from_db()
    assert to_clara.revoked_at is not None


def test_the_question_names_what_was_passed_on_and_ends_with_it(chain, approver, client_for):
    first, second = chain

    page = client_for(approver).get(f"/en/delegations/{first.pk}/revoke/").content.decode()

    assert 'id="revoke-passed-on"' in page and f"#{second.pk}" in page and "Dora" in page


@pytest.mark.parametrize("who", ["delegate", "stranger"])
def test_nobody_else_is_even_asked(who, to_clara, colleague, client_for):
    user = colleague if who == "delegate" else UserFactory()

    assert client_for(user).get(f"/en/delegations/{to_clara.pk}/revoke/").status_code == 404


def test_the_cms_groups_are_not_offered_nor_accepted_as_delegates(approver, unit, client_for):
    from wagtail.models import GroupPagePermission, Page

    editors = Group.objects.create(name="Redaktion")
    GroupPagePermission.objects.create(group=editors, page=Page.get_first_root_node(), permission_type="change")
    team = Group.objects.create(name="Urlaubsteam")

    form = client_for(approver).get("/en/delegations/new/").content.decode()

    assert f'<option value="{team.pk}">Urlaubsteam</option>' in form
    assert "Redaktion" not in form
    with time_machine.travel(BEFORE, tick=False), pytest.raises(DelegationRefused) as refused:
        delegation_create(delegator=approver, delegate_group=editors, unit=unit, codenames=["decide_leave"],
                          starts_at=STARTS_AT, ends_at=ENDS_AT, reason="Urlaubsvertretung")
    assert refused.value.field == "delegate_group"
    assert not Delegation.objects.filter(delegate_group=editors).exists()


def test_name_a_substitute_through_the_form(approver, colleague, client_for):
    response = client_for(approver).post("/en/delegations/substitute/", {"substitute_email": "CLARA.WOLF@musterstadt.example"})

    assert response.status_code == 302
    approver.refresh_from_db()
    assert approver.out_of_office_substitute == colleague
    assert "Clara Wolf" in client_for(approver).get("/en/delegations/").content.decode()


def test_substitute_form_refuses_oneself_and_unknown_people(approver, client_for):
    client = client_for(approver)

    yourself = client.post("/en/delegations/substitute/", {"substitute_email": approver.email})
    unknown = client.post("/en/delegations/substitute/", {"substitute_email": "niemand@example.org"})

    assert yourself.status_code == unknown.status_code == 200
    assert "You cannot be your own substitute." in yourself.content.decode()
    assert "No active colleague has this email address." in unknown.content.decode()
    approver.refresh_from_db()
    assert approver.out_of_office_substitute is None


def test_end_before_start_marks_the_until_field(approver, colleague, unit, client_for):
    response = client_for(approver).post("/en/delegations/new/", {
        "delegate_email": colleague.email, "permissions": ["decide_leave"], "unit": unit.pk,
        "starts_at": "2030-01-10T09:00", "ends_at": "2030-01-09T09:00", "reason": "Urlaub"})

    assert response.status_code == 200
    page = response.content.decode()
    # One alert (the summary) whose item leads to the field, and the field itself marked invalid.
    assert 'href="#id_ends_at"' in page and 'id="id_ends_at_error"' in page
    assert page.count('role="alert"') == 1
    assert "<title>Error:" in page
    assert not Delegation.objects.filter(delegator=approver, reason="Urlaub").exists()
