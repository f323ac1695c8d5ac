"""The approver's queue at /queue/ and deciding on the request page, through the test client."""

import pytest
from django.contrib.messages import constants, get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.models import EventAction, RequestStatus, ServiceRequest
from tests.factories import leave_request


def pending_leave(applicant, **kwargs) -> ServiceRequest:
    """A submitted leave request routed to its first step, as request_submit leaves it."""
    return leave_request(applicant=applicant, step_permission="decide_leave", **kwargs)


def message_levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def anna_leave(applicant):
    return pending_leave(applicant)


def test_approver_sees_the_applicants_leave_in_the_queue(approver, anna_leave, client_for):
    response = client_for(approver).get("/queue/")

    content = response.content.decode()
    assert response.status_code == 200
    assert anna_leave.reference in content
    assert f"/requests/{anna_leave.reference}/" in content
    assert "Anna" in content
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_queue_requires_login(client, anna_leave):
    response = client.get("/queue/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_queue_filters_narrow_the_list(approver, applicant, client_for):
    leave = pending_leave(applicant)
    client = client_for(approver)

    assert leave.reference in client.get("/queue/?kind=leave&status=submitted&unit=32").content.decode()
    assert leave.reference not in client.get("/queue/?kind=vpn_access").content.decode()
    assert leave.reference not in client.get("/queue/?status=in_review").content.decode()
    assert leave.reference not in client.get("/queue/?unit=99").content.decode()
    assert leave.reference not in client.get("/queue/?age=3").content.decode()


def test_colleague_without_rights_has_an_empty_queue_and_gets_404(colleague, anna_leave, client_for):
    client = client_for(colleague)

    queue = client.get("/queue/")
    detail = client.get(f"/requests/{anna_leave.reference}/")
    decide = client.post(f"/requests/{anna_leave.reference}/decide/", {"decision": "approve", "expected_step": "1"})

    assert queue.status_code == 200
    assert anna_leave.reference not in queue.content.decode()
    assert detail.status_code == 404
    assert decide.status_code == 404
    anna_leave.refresh_from_db()
    assert anna_leave.status == RequestStatus.SUBMITTED


def test_detail_page_shows_the_decision_form_only_to_the_decider(approver, applicant, anna_leave, client_for):
    url = f"/requests/{anna_leave.reference}/"

    assert f"/requests/{anna_leave.reference}/decide/" in client_for(approver).get(url).content.decode()
    assert f"/requests/{anna_leave.reference}/decide/" not in client_for(applicant).get(url).content.decode()


def test_approver_approves_and_a_replay_is_refused(approver, anna_leave, client_for):
    client = client_for(approver)
    url = f"/requests/{anna_leave.reference}/decide/"

    first = client.post(url, {"decision": "approve", "expected_step": "1", "comment": "Gute Erholung."})

    assert first.status_code == 302
    assert first["Location"].endswith("/queue/")
    assert message_levels(first) == [constants.SUCCESS]
    anna_leave.refresh_from_db()
    assert anna_leave.status == RequestStatus.APPROVED
    events = anna_leave.events.count()
    decided_at = anna_leave.decided_at
    client.get(first["Location"])  # shows, and so uses up, the success message

    replay = client.post(url, {"decision": "reject", "expected_step": "1", "comment": "Doch nicht."})

    assert replay.status_code == 302
    assert replay["Location"].endswith(f"/requests/{anna_leave.reference}/")
    assert message_levels(replay) == [constants.ERROR]
    anna_leave.refresh_from_db()
    assert anna_leave.status == RequestStatus.APPROVED
    assert anna_leave.decided_at == decided_at
    assert anna_leave.events.count() == events


def test_reject_without_comment_is_refused(approver, anna_leave, client_for):
    response = client_for(approver).post(f"/requests/{anna_leave.reference}/decide/",
                                          {"decision": "reject", "expected_step": "1", "comment": "  "})

    # The page is shown again with the comment field marked and the error summary linking to it (WCAG 3.3.1).
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'href="#decision-comment"' in page
    assert 'id="decision-comment"' in page and 'aria-invalid="true"' in page
    assert "<title>Fehler:" in page
    anna_leave.refresh_from_db()
    assert anna_leave.status == RequestStatus.SUBMITTED
    assert not anna_leave.events.filter(action=EventAction.REJECTED).exists()


def test_forward_to_an_unknown_address_marks_the_field(approver, anna_leave, client_for):
    response = client_for(approver).post(f"/requests/{anna_leave.reference}/forward/",
                                          {"email": "niemand@musterstadt.example", "expected_step": "1"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#forward-email"' in page and 'id="forward-email_error"' in page
    assert not anna_leave.events.filter(action=EventAction.FORWARDED).exists()


def test_forward_lets_the_colleague_decide(approver, colleague, anna_leave, client_for):
    response = client_for(approver).post(f"/requests/{anna_leave.reference}/forward/",
                                          {"email": colleague.email, "expected_step": "1"})

    assert response.status_code == 302
    assert message_levels(response) == [constants.SUCCESS]
    assert anna_leave.reference in client_for(colleague).get("/queue/").content.decode()


def test_bulk_approve_approves_the_selected_requests(approver, applicant, colleague, client_for):
    first, second, unselected = pending_leave(applicant), pending_leave(applicant), pending_leave(applicant)
    not_mine = pending_leave(approver)  # nobody decides their own request

    response = client_for(approver).post("/en/queue/", {
        "selected": [first.reference, second.reference, not_mine.reference], "comment": "Alles in Ordnung."})

    assert response.status_code == 302
    texts = message_texts(response)
    assert any("2 requests approved" in text for text in texts)
    assert any(not_mine.reference in text and "not approved" in text for text in texts)
    statuses = dict(ServiceRequest.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[second.pk] == RequestStatus.APPROVED
    assert statuses[unselected.pk] == statuses[not_mine.pk] == RequestStatus.SUBMITTED


def test_bulk_approve_by_someone_without_rights_changes_nothing(colleague, anna_leave, client_for):
    response = client_for(colleague).post("/queue/", {"selected": [anna_leave.reference]})

    assert response.status_code == 302
    assert message_levels(response) == [constants.ERROR]
    anna_leave.refresh_from_db()
    assert anna_leave.status == RequestStatus.SUBMITTED


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_queue_uses_a_constant_number_of_queries(approver, applicant, client_for):
    client = client_for(approver)
    for _ in range(10):
        pending_leave(applicant)
    count_queries(client, "/queue/")  # warm the per-process caches
    few = count_queries(client, "/queue/")
    for _ in range(90):
        pending_leave(applicant)
    many = count_queries(client, "/queue/")
    assert many == few
