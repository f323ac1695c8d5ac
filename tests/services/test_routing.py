"""Routing: each step reaches whoever holds its permission on the applicant's unit or above; nobody is lost."""

import datetime

import pytest

from services import workflow
from services.kinds import registry
from services.kinds.vpn_access import VpnAccessRequest
from services.models import EventAction, RequestStatus
from services.permissions import decision_authority, requests_decidable_by
from tests.factories import OrgUnitFactory, UserFactory, make_holder, next_monday


def submit_vpn(applicant):
    start = next_monday()
    details = VpnAccessRequest(device="municipal", reason="Homeoffice", start_date=start,
                               end_date=start + datetime.timedelta(days=30), systems=["email"])
    return workflow.request_submit(applicant=applicant, kind=registry.get("vpn_access"), details=details)


@pytest.fixture
def city(unit):
    return unit.get_parent()


def test_a_step_nobody_holds_goes_to_the_administrators_and_the_applicant_is_told(
        city, mailoutbox, django_capture_on_commit_callbacks):
    orphan_unit = OrgUnitFactory(parent=city, code="99", name="Neues Amt")
    applicant = UserFactory(unit=orphan_unit)
    administrator = UserFactory(is_superuser=True, unit=city)
    with django_capture_on_commit_callbacks(execute=True):
        request = submit_vpn(applicant)

    request.refresh_from_db()
    assert request.unassigned and request.step_permission == "decide_vpn_access"
    assert request.events.filter(action=EventAction.UNASSIGNED).exists()
    told = [mail for mail in mailoutbox if mail.to == [applicant.email]]
    assert len(told) == 1 and request.reference in told[0].subject  # passed to the administrators (not: filed)
    assert list(requests_decidable_by(administrator)) == [request]
    assert list(requests_decidable_by(UserFactory(unit=orphan_unit))) == []
    assert decision_authority(administrator, request).fallback


def test_steps_follow_each_other_and_nobody_decides_two_steps_of_one_request(applicant, approver, city):
    security = make_holder(city, "review_it_security")
    grant_both = make_holder(applicant.unit, "decide_vpn_access", "review_it_security")
    request = submit_vpn(applicant)

    assert set(requests_decidable_by(security)) == set()
    workflow.request_decide(request=request, actor=grant_both, decision="approve", expected_step=1)
    request.refresh_from_db()
    assert (request.status, request.current_step, request.step_permission) == (RequestStatus.IN_REVIEW, 2, "review_it_security")
    assert request in requests_decidable_by(security)
    assert request not in requests_decidable_by(grant_both)  # approved step 1 already
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_decide(request=request, actor=grant_both, decision="approve", expected_step=2)

    workflow.request_decide(request=request, actor=security, decision="approve", expected_step=2)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert list(request.events.values_list("action", flat=True)) == [
        EventAction.SUBMITTED, EventAction.STEP_APPROVED, EventAction.APPROVED]


def test_responsibility_reaches_units_below_but_not_beside(applicant, city):
    section = OrgUnitFactory(parent=applicant.unit, code="32.1", name="Sachgebiet")
    neighbour = OrgUnitFactory(parent=city, code="33", name="Bürgeramt")
    head_of_city = make_holder(city, "decide_vpn_access")
    head_of_neighbour = make_holder(neighbour, "decide_vpn_access")
    request = submit_vpn(UserFactory(unit=section))

    assert request in requests_decidable_by(head_of_city)
    assert request not in requests_decidable_by(head_of_neighbour)
    assert decision_authority(head_of_neighbour, request) is None


def test_who_may_decide_is_answered_in_sql_exactly_as_asking_each_person(city, unit, applicant, approver):
    """entitled_user_ids gives the same people as decision_authority asked person by person, in a few queries."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.models import User
    from services.delegation.models import Delegation
    from services.permissions import entitled_user_ids
    from tests.factories import grant_responsibility, leave_request

    now = timezone.now()
    window = {"starts_at": now - datetime.timedelta(hours=1), "ends_at": now + datetime.timedelta(days=3), "reason": "Urlaub"}
    city_head = make_holder(city, "decide_leave")
    team = grant_responsibility(Group.objects.create(name="Urlaubsteam"), unit, "decide_leave")
    in_team = UserFactory(unit=unit)
    in_team.groups.add(team)
    first, second, third = (UserFactory(unit=unit) for _ in range(3))
    link = Delegation.objects.create(delegator=approver, delegate=first, unit=unit, permissions=["decide_leave"],
                                     allow_redelegation=True, **window)
    Delegation.objects.create(delegator=first, delegate=second, unit=unit, permissions=["decide_leave"], parent=link, **window)
    Delegation.objects.create(delegator=approver, delegate=third, unit=unit, permissions=["decide_leave"],
                              revoked_at=now, **window)
    Delegation.objects.create(delegator=approver, delegate=UserFactory(unit=unit), unit=unit,
                              permissions=["decide_remote_work"], **window)
    # Authority that comes from the applicant never decides the applicant's request.
    grant_responsibility(applicant, unit, "decide_leave")
    Delegation.objects.create(delegator=applicant, delegate=UserFactory(unit=unit), unit=unit, permissions=["decide_leave"],
                              **window)
    # The city head is away today, so her substitute holds her responsibility.
    city_head.out_of_office_substitute = UserFactory(unit=city)
    city_head.save()
    leave_request(applicant=city_head, status=RequestStatus.APPROVED, start=timezone.localdate(), days=3)
    inactive = make_holder(unit, "decide_leave", is_active=False)
    request = leave_request(applicant=applicant, unit=unit)
    request.step_permission = "decide_leave"
    request.save()

    with CaptureQueriesContext(connection) as context:
        answer = entitled_user_ids(request)
    asked_one_by_one = [user.pk for user in User.objects.order_by("pk") if decision_authority(user, request) is not None]

    assert answer == asked_one_by_one
    assert {approver.pk, city_head.pk, in_team.pk, first.pk, second.pk, city_head.out_of_office_substitute_id} == set(answer)
    assert third.pk not in answer and inactive.pk not in answer and applicant.pk not in answer
    assert len(context.captured_queries) <= 4
