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
