"""The approver's desk: the list of what was decided by me and on my behalf, and the queue's filters, order and notes."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services import workflow
from services.delegation.services import delegation_create
from services.leave.models import LeaveCancellation
from services.models import EventAction, RequestEvent, RequestStatus
from tests.factories import OrgUnitFactory, UserFactory, leave_request, make_holder

# A Wednesday in spring: no holiday near, the leave of next weeks falls in the same year.
TODAY = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def spring():
    with time_machine.travel(TODAY, tick=False):
        yield


def pending_leave(applicant, **kwargs):
    return leave_request(applicant=applicant, step_permission="decide_leave", submitted_at=timezone.now(), **kwargs)


def clara_decides_for(bernd, clara, unit):
    now = timezone.now()
    return delegation_create(delegator=bernd, delegate=clara, unit=unit, codenames=["decide_leave"],
                             starts_at=now - datetime.timedelta(minutes=1), ends_at=now + datetime.timedelta(days=5),
                             reason="Urlaubsvertretung")


def rows_of(response) -> str:
    return response.content.decode()


# --- Decided by me and on my behalf ---------------------------------------------------------------------

def test_the_holder_sees_what_his_delegate_decided_on_his_behalf(approver, applicant, colleague, unit, client_for):
    clara_decides_for(approver, colleague, unit)
    approved, rejected = pending_leave(applicant), pending_leave(applicant, start=datetime.date(2026, 6, 1))
    workflow.request_decide(request=approved, actor=colleague, decision="approve", expected_step=1)
    workflow.request_decide(request=rejected, actor=colleague, decision="reject", comment="Zu viele weg",
                            expected_step=1)

    page = rows_of(client_for(approver).get("/en/queue/decided/"))

    assert approved.reference in page and rejected.reference in page
    assert "Clara Wolf" in page and "on my behalf" in page and "Zu viele weg" in page
    # The request pages themselves open for the holder.
    assert client_for(approver).get(f"/requests/{approved.reference}/").status_code == 200


def test_the_list_is_always_ones_own(approver, applicant, colleague, unit, client_for):
    clara_decides_for(approver, colleague, unit)
    request = pending_leave(applicant)
    workflow.request_decide(request=request, actor=colleague, decision="approve", expected_step=1)
    stranger = make_holder(OrgUnitFactory(code="20", name="Kämmerei", parent=unit.get_parent()), "decide_leave")

    assert request.reference not in rows_of(client_for(stranger).get("/queue/decided/"))
    assert request.reference not in rows_of(client_for(applicant, mfa=False).get("/queue/decided/"))
    # Clara sees it too: she decided it, as "me".
    assert request.reference in rows_of(client_for(colleague).get("/queue/decided/?decided_by=me"))
    # Naming another person's id in the filter narrows one's own list; it never opens theirs.
    assert request.reference not in rows_of(client_for(stranger).get(f"/queue/decided/?decided_by=person-{colleague.pk}"))


def test_the_filters_narrow_by_person_kind_outcome_and_period(approver, applicant, colleague, unit, client_for):
    clara_decides_for(approver, colleague, unit)
    by_clara = pending_leave(applicant)
    own = pending_leave(applicant, start=datetime.date(2026, 6, 1))
    workflow.request_decide(request=by_clara, actor=colleague, decision="approve", expected_step=1)
    with time_machine.travel(TODAY + datetime.timedelta(days=3), tick=False):
        workflow.request_decide(request=own, actor=approver, decision="reject", comment="Nein", expected_step=1)
    client = client_for(approver)

    def shown(query: str) -> set[str]:
        page = rows_of(client.get(f"/queue/decided/?{query}"))
        return {reference for reference in (by_clara.reference, own.reference) if reference in page}

    assert shown("") == {by_clara.reference, own.reference}
    assert shown("decided_by=me") == {own.reference}
    assert shown("decided_by=on_my_behalf") == {by_clara.reference}
    assert shown(f"decided_by=person-{colleague.pk}") == {by_clara.reference}
    assert shown("outcome=rejected") == {own.reference}
    assert shown("outcome=approved") == {by_clara.reference}
    assert shown("kind=vpn_access") == set()
    assert shown("kind=leave") == {by_clara.reference, own.reference}
    assert shown("start=2026-04-17") == {own.reference}
    assert shown("end=2026-04-16") == {by_clara.reference}
    assert 'id="decided-empty-filtered"' in rows_of(client.get("/queue/decided/?kind=vpn_access"))


def test_a_period_that_ends_before_it_starts_is_shown_at_its_field(approver, client_for):
    response = client_for(approver).get("/en/queue/decided/?start=2026-04-10&end=2026-04-01")

    page = rows_of(response)
    assert response.status_code == 200
    assert 'href="#decided-end"' in page and 'aria-invalid="true"' in page
    assert "<title>Error:" in page


def test_nothing_decided_yet_says_so(approver, client_for):
    assert 'id="decided-empty"' in rows_of(client_for(approver).get("/queue/decided/"))


def test_the_decided_list_costs_the_same_queries_however_long(approver, applicant, colleague, unit, client_for):
    clara_decides_for(approver, colleague, unit)
    client = client_for(approver)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/queue/decided/").status_code == 200
        return len(captured)

    workflow.request_decide(request=pending_leave(applicant), actor=colleague, decision="approve", expected_step=1)
    queries()  # the first page of a session also touches the session itself
    one = queries()
    for offset in range(6):
        request = pending_leave(UserFactory(unit=unit), start=datetime.date(2026, 6, 1) + datetime.timedelta(weeks=offset))
        workflow.request_decide(request=request, actor=colleague if offset % 2 else approver,
                                decision="approve", expected_step=1)
    assert queries() == one


# --- The queue ------------------------------------------------------------------------------------------

def test_the_unit_filter_offers_the_units_one_decides_for_and_matches_the_subtree(approver, applicant, unit, client_for):
    team = OrgUnitFactory(parent=unit, code="32.1", name="Gewerbeaufsicht")
    in_team = pending_leave(UserFactory(unit=team))
    in_office = pending_leave(applicant)
    client = client_for(approver)

    page = rows_of(client.get("/queue/"))
    assert '<option value="32">' in page and '<option value="32.1">' in page
    assert '<option value="STADT">' not in page, "Bernd decides for the Ordnungsamt, not the city"
    office = rows_of(client.get("/queue/?unit=32"))
    assert in_team.reference in office and in_office.reference in office
    only_team = rows_of(client.get("/queue/?unit=32.1"))
    assert in_team.reference in only_team and in_office.reference not in only_team
    unknown = rows_of(client.get("/queue/?unit=99"))
    assert in_office.reference not in unknown and 'id="queue-empty-filtered"' in unknown


def test_no_results_for_filters_differs_from_nothing_to_decide(approver, applicant, colleague, client_for):
    pending_leave(applicant)

    filtered = rows_of(client_for(approver).get("/queue/?kind=vpn_access"))
    empty = rows_of(client_for(colleague).get("/queue/?kind=vpn_access"))

    assert 'id="queue-empty-filtered"' in filtered and 'id="queue-empty"' not in filtered
    assert 'id="queue-empty"' in empty and 'id="queue-empty-filtered"' not in empty


def test_the_kind_filter_offers_and_finds_leave_cancellations(approver, applicant, client_for):
    original = leave_request(applicant=applicant, status=RequestStatus.APPROVED, start=datetime.date(2026, 5, 4))
    cancellation = leave_request(applicant=applicant, step_permission="decide_leave", submitted_at=timezone.now())
    cancellation.kind = "leave_cancellation"
    cancellation.save(update_fields=["kind"])
    cancellation.leave.delete()
    LeaveCancellation.objects.create(request=cancellation, original=original)
    other = pending_leave(applicant, start=datetime.date(2026, 7, 6))
    client = client_for(approver)

    assert 'value="leave_cancellation"' in rows_of(client.get("/queue/"))
    page = rows_of(client.get("/queue/?kind=leave_cancellation"))
    assert cancellation.reference in page and other.reference not in page


def test_the_queue_sorts_by_age_and_by_first_day(approver, applicant, client_for):
    late_but_old = pending_leave(applicant, start=datetime.date(2026, 8, 3))
    with time_machine.travel(TODAY + datetime.timedelta(hours=2), tick=False):
        soon_but_new = pending_leave(applicant, start=datetime.date(2026, 5, 4))
        client = client_for(approver)

        def order(query: str) -> list[str]:
            page = rows_of(client.get(f"/queue/?{query}"))
            return sorted((late_but_old.reference, soon_but_new.reference), key=page.index)

        assert order("") == [late_but_old.reference, soon_but_new.reference]
        assert order("order=oldest") == [late_but_old.reference, soon_but_new.reference]
        assert order("order=newest") == [soon_but_new.reference, late_but_old.reference]
        assert order("order=first_day") == [soon_but_new.reference, late_but_old.reference]


def test_each_leave_row_shows_the_remaining_leave_and_a_team_warning(approver, applicant, unit, client_for, settings):
    settings.TEAM_ABSENCE_WARNING_SHARE = 0.3
    start = datetime.date(2026, 5, 4)
    away = UserFactory(unit=unit)
    leave_request(applicant=away, status=RequestStatus.APPROVED, start=start)
    request = pending_leave(applicant, start=start)

    page = rows_of(client_for(approver).get("/queue/"))

    row = page[page.index(f'id="queue-row-{request.reference}"'):]
    row = row[:row.index("</tr>")]
    assert "data-leave-remaining=" in row and "2026" in row
    assert "data-team-absence-warning=" in row


def test_the_queue_costs_the_same_queries_with_notes_for_more_rows(approver, applicant, unit, client_for):
    client = client_for(approver)
    pending_leave(applicant)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/queue/").status_code == 200
        return len(captured)

    queries()  # the first page of a session also touches the session itself
    one = queries()
    for offset in range(5):
        pending_leave(UserFactory(unit=unit), start=datetime.date(2026, 6, 1) + datetime.timedelta(weeks=offset))
    assert queries() == one


def test_a_case_forwarded_by_name_is_marked(approver, applicant, colleague, client_for):
    request = pending_leave(applicant)
    workflow.request_forward(request=request, actor=approver, to=colleague, comment="Bitte übernehmen", expected_step=1)

    page = rows_of(client_for(colleague).get("/en/queue/"))
    row = page[page.index(f'id="queue-row-{request.reference}"'):]
    assert row[:row.index(">")].endswith("data-forwarded")
    assert "forwarded to you by name" in row[:row.index("</tr>")]
    assert "data-forwarded" not in rows_of(client_for(approver).get("/queue/"))


def test_the_loser_of_a_race_opening_the_request_from_the_queue_sees_who_decided(approver, applicant, unit, client_for):
    deputy = make_holder(unit, "decide_leave", first_name="Dora", last_name="Deputy")
    request = pending_leave(applicant)
    workflow.request_decide(request=request, actor=deputy, decision="approve", expected_step=1)

    response = client_for(approver).get(f"/en/requests/{request.reference}/?step=1")

    assert response.status_code == 200
    assert "Dora Deputy" in response.content.decode()
    assert RequestEvent.objects.filter(request=request, action=EventAction.APPROVED).count() == 1
