"""Separation of duties: nobody decides a request through authority that comes from its applicant.

The holder Bernd delegates his responsibility (to a person, to a group, along a chain) and names an
out-of-office substitute. While his own request is pending, none of them may decide it on his behalf —
for every verb (approve, reject, ask for changes, forward, bulk approve), and the queue does not show it.
Someone holding the step on their own, above Bernd, still can. Forwarding is for those who hold the step.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from services import permissions, workflow
from services.delegation.services import delegation_create, substitute_set
from services.models import AuthorityKind, EventAction, RequestEvent, RequestStatus
from tests.factories import OrgUnitFactory, UserFactory, leave_request, make_holder

VERBS = ("approve", "reject", "request_changes")


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def office(db):
    city = OrgUnitFactory(code="STADT", name="Stadtverwaltung")
    return OrgUnitFactory(parent=city, code="32", name="Ordnungsamt")


@pytest.fixture
def bernd(office):
    return make_holder(office, "decide_leave", first_name="Bernd", last_name="Keller")


@pytest.fixture
def head_of_department(office):
    """Holds leave decisions for the whole city on her own: she may decide Bernd's request."""
    return make_holder(office.get_parent(), "decide_leave", first_name="Hanna", last_name="Roth")


def pending_leave(applicant, **kwargs):
    return leave_request(applicant=applicant, step_permission="decide_leave", **kwargs)


def delegated(bernd, to=None, *, group=None, unit, redelegable=False):
    now = timezone.now()
    return delegation_create(delegator=bernd, delegate=to, delegate_group=group, unit=unit, codenames=["decide_leave"],
                             starts_at=now - datetime.timedelta(minutes=1), ends_at=now + datetime.timedelta(days=5),
                             reason="Urlaubsvertretung", allow_redelegation=redelegable)


def authority_holders(bernd, office):
    """Everyone who holds Bernd's responsibility for someone else, one per way of holding it."""
    clara = UserFactory(unit=office, first_name="Clara")
    delegated(bernd, clara, unit=office, redelegable=True)
    deniz = UserFactory(unit=office, first_name="Deniz")
    delegation_create(delegator=clara, delegate=deniz, unit=office, codenames=["decide_leave"],
                      starts_at=timezone.now() - datetime.timedelta(seconds=30),
                      ends_at=timezone.now() + datetime.timedelta(days=4), reason="weiter")
    team = Group.objects.create(name="Urlaubsteam")
    emil = UserFactory(unit=office, first_name="Emil")
    emil.groups.add(team)
    delegated(bernd, group=team, unit=office)
    fritz = UserFactory(unit=office, first_name="Fritz")
    substitute_set(holder=bernd, substitute=fritz)
    # Bernd is on approved leave today, so his substitute holds his responsibility.
    today = timezone.localdate()
    leave_request(applicant=bernd, status=RequestStatus.APPROVED, start=today - datetime.timedelta(days=today.weekday()), days=5)
    return {"delegation": clara, "delegation chain": deniz, "group delegation": emil, "substitute": fritz}


WAYS = ("delegation", "delegation chain", "group delegation", "substitute")


@pytest.mark.parametrize("way", WAYS)
def test_the_holders_authority_reaches_a_colleagues_request(bernd, office, way):
    holder = authority_holders(bernd, office)[way]
    colleague_request = pending_leave(UserFactory(unit=office))
    assert permissions.decision_authority(holder, colleague_request) is not None
    assert permissions.requests_decidable_by(holder).filter(pk=colleague_request.pk).exists()


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("way", WAYS)
def test_nobody_decides_the_holders_own_request_on_his_behalf(bernd, office, head_of_department, way, verb):
    holder = authority_holders(bernd, office)[way]
    own = pending_leave(bernd, start=timezone.localdate() + datetime.timedelta(days=21))

    assert permissions.decision_authority(holder, own) is None
    assert not permissions.requests_decidable_by(holder).filter(pk=own.pk).exists()
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_decide(request=own, actor=holder, decision=verb, comment="Grund")
    own.refresh_from_db()
    assert own.status == RequestStatus.SUBMITTED
    # The head of department holds the step on her own and still decides it.
    assert permissions.decision_authority(head_of_department, own).kind == AuthorityKind.OWN
    assert holder not in permissions.entitled_users(own)


@pytest.mark.parametrize("way", WAYS)
def test_nor_forwards_it(bernd, office, way):
    holder = authority_holders(bernd, office)[way]
    own = pending_leave(bernd, start=timezone.localdate() + datetime.timedelta(days=21))
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_forward(request=own, actor=holder, to=UserFactory(unit=office))
    assert not RequestEvent.objects.filter(request=own, action=EventAction.FORWARDED).exists()


@pytest.mark.parametrize("way", WAYS)
def test_nor_bulk_approves_it(bernd, office, way, client_for):
    holder = authority_holders(bernd, office)[way]
    own = pending_leave(bernd, start=timezone.localdate() + datetime.timedelta(days=21))
    other = pending_leave(UserFactory(unit=office), start=timezone.localdate() + datetime.timedelta(days=28))

    client_for(holder).post("/en/queue/", {"selected": [own.reference, other.reference]})

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (RequestStatus.SUBMITTED, RequestStatus.APPROVED)


def test_a_delegation_given_while_the_request_waits_does_not_open_it(bernd, office):
    own = pending_leave(bernd)
    clara = UserFactory(unit=office)
    delegated(bernd, clara, unit=office)
    assert permissions.decision_authority(clara, own) is None


# --- Forwarding ----------------------------------------------------------------------------------------

def test_a_forwarded_colleague_decides_but_does_not_forward_on(bernd, office):
    request = pending_leave(UserFactory(unit=office))
    forwarded_to, stranger = UserFactory(unit=office), UserFactory(unit=office)
    workflow.request_forward(request=request, actor=bernd, to=forwarded_to)

    assert permissions.decision_authority(forwarded_to, request).kind == AuthorityKind.FORWARD
    assert permissions.forwarding_authority(forwarded_to, request) is None
    with pytest.raises(workflow.TransitionNotAllowed, match="may not forward"):
        workflow.request_forward(request=request, actor=forwarded_to, to=stranger)
    assert permissions.decision_authority(stranger, request) is None


def test_every_decision_and_forward_records_its_authority(bernd, office):
    request = pending_leave(UserFactory(unit=office))
    forwarded_to = UserFactory(unit=office)
    workflow.request_forward(request=request, actor=bernd, to=forwarded_to)
    workflow.request_decide(request=request, actor=forwarded_to, decision="approve")

    forward = RequestEvent.objects.get(request=request, action=EventAction.FORWARDED)
    decision = RequestEvent.objects.get(request=request, action=EventAction.APPROVED)
    assert (forward.authority, decision.authority) == (AuthorityKind.OWN, AuthorityKind.FORWARD)


def test_a_decision_under_delegation_records_it(bernd, office):
    clara = UserFactory(unit=office)
    delegation = delegated(bernd, clara, unit=office)
    request = pending_leave(UserFactory(unit=office))
    workflow.request_decide(request=request, actor=clara, decision="approve")
    event = RequestEvent.objects.get(request=request, action=EventAction.APPROVED)
    assert (event.authority, event.on_behalf_of, event.delegation) == (AuthorityKind.DELEGATION, bernd, delegation)


def test_an_administrator_may_forward_a_forwarded_case(bernd, office):
    request = pending_leave(UserFactory(unit=office))
    admin = UserFactory(is_superuser=True, unit=office)
    workflow.request_forward(request=request, actor=bernd, to=admin)
    workflow.request_forward(request=request, actor=admin, to=UserFactory(unit=office))
    assert RequestEvent.objects.filter(request=request, action=EventAction.FORWARDED).count() == 2


def test_the_request_page_offers_forwarding_only_to_those_who_hold_the_step(bernd, office, client_for):
    request = pending_leave(UserFactory(unit=office))
    forwarded_to = UserFactory(unit=office)
    workflow.request_forward(request=request, actor=bernd, to=forwarded_to)

    holder_page = client_for(bernd).get(f"/en/requests/{request.reference}/").content.decode()
    forwarded_page = client_for(forwarded_to).get(f"/en/requests/{request.reference}/").content.decode()

    assert "/forward/" in holder_page
    assert "/decide/" in forwarded_page and "/forward/" not in forwarded_page
    assert "This request was forwarded to you." in forwarded_page


def test_the_history_names_a_decision_taken_under_a_forward(bernd, office, client_for):
    applicant = UserFactory(unit=office)
    request = pending_leave(applicant)
    forwarded_to = UserFactory(unit=office)
    workflow.request_forward(request=request, actor=bernd, to=forwarded_to)
    workflow.request_decide(request=request, actor=forwarded_to, decision="approve")

    page = client_for(applicant).get(f"/en/requests/{request.reference}/").content.decode()
    assert "(forwarded case)" in page


# --- After the decision: the holder and the loser of a race --------------------------------------------

def test_the_holder_sees_what_was_decided_on_his_behalf(bernd, office, client_for):
    clara = UserFactory(unit=office)
    delegated(bernd, clara, unit=office)
    request = pending_leave(UserFactory(unit=office))
    workflow.request_decide(request=request, actor=clara, decision="approve")

    response = client_for(bernd).get(f"/en/requests/{request.reference}/")

    assert response.status_code == 200
    assert f"{clara} on behalf of {bernd}" in response.content.decode()


def test_the_loser_of_a_race_is_told_who_decided_and_when(bernd, office, head_of_department, client_for):
    request = pending_leave(UserFactory(unit=office))
    workflow.request_decide(request=request, actor=head_of_department, decision="approve")

    for path in (f"/en/requests/{request.reference}/decide/", f"/en/requests/{request.reference}/forward/"):
        response = client_for(bernd).post(path, {"decision": "reject", "comment": "Nein", "expected_step": "1",
                                                 "email": "someone@musterstadt.example"})
        content = response.content.decode()
        assert response.status_code == 409, path
        assert f"{head_of_department} already acted on this request (Approved," in content
        assert '<html lang="en"' in content and "Nothing of yours was saved." in content
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert not RequestEvent.objects.filter(request=request, actor=bernd).exists()


def test_the_race_page_speaks_german_by_default(bernd, office, head_of_department, client_for):
    request = pending_leave(UserFactory(unit=office))
    workflow.request_decide(request=request, actor=head_of_department, decision="approve")
    with translation.override("de"):
        response = client_for(bernd).post(f"/requests/{request.reference}/decide/", {"decision": "approve", "expected_step": "1"})
    assert response.status_code == 409
    assert '<html lang="de"' in response.content.decode()


@pytest.mark.parametrize("who", ["stranger", "applicant's delegate"])
def test_others_still_find_no_such_request(bernd, office, head_of_department, client_for, who):
    own = pending_leave(bernd)
    person = UserFactory(unit=office)
    if who == "applicant's delegate":
        delegated(bernd, person, unit=office)
    workflow.request_decide(request=own, actor=head_of_department, decision="approve")
    response = client_for(person).post(f"/en/requests/{own.reference}/decide/", {"decision": "approve", "expected_step": "1"})
    assert response.status_code == 404
