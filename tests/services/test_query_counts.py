"""List pages must cost the same number of SQL queries however many requests they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import leave_request


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/requests/", "/"])
def test_list_pages_use_constant_queries(applicant, applicant_client, site, url):
    leave_request(applicant=applicant)
    count_queries(applicant_client, url)  # warm the per-process caches (site root, locales)
    few = count_queries(applicant_client, url)
    for _ in range(20):
        leave_request(applicant=applicant)
    many = count_queries(applicant_client, url)
    assert many == few


def test_delegation_list_uses_constant_queries(approver, unit, client_for, site):
    import datetime

    from django.utils import timezone

    from services.delegation.models import Delegation
    from tests.factories import UserFactory

    def delegate_once():
        Delegation.objects.create(delegator=approver, delegate=UserFactory(unit=unit), unit=unit, permissions=["decide_leave"],
                                  reason="Urlaub", starts_at=timezone.now(), ends_at=timezone.now() + datetime.timedelta(days=3))

    client = client_for(approver)
    delegate_once()
    count_queries(client, "/delegations/")
    few = count_queries(client, "/delegations/")
    for _ in range(10):
        delegate_once()
    assert count_queries(client, "/delegations/") == few


def test_notification_list_uses_constant_queries(applicant, applicant_client, site):
    from services.models import Notification

    def notify(count):
        for number in range(count):
            Notification.objects.create(recipient=applicant, message=f"Nachricht {number}", url="/requests/")

    notify(1)
    count_queries(applicant_client, "/notifications/")
    few = count_queries(applicant_client, "/notifications/")
    notify(20)
    assert count_queries(applicant_client, "/notifications/") == few


# --- Ceilings of the pages people use most (issue 14): fixed numbers whatever the city's size ----------------

def _city_with_delegations(approver, unit, count: int) -> None:
    import datetime

    from django.utils import timezone

    from services.delegation.models import Delegation
    from tests.factories import UserFactory

    for _ in range(count):
        Delegation.objects.create(delegator=approver, delegate=UserFactory(unit=unit), unit=unit, permissions=["decide_leave"],
                                  reason="Urlaub", starts_at=timezone.now(), ends_at=timezone.now() + datetime.timedelta(days=3))


def _leave_post(substitute: str = "") -> dict:
    import datetime

    from tests.factories import leave_type_record, next_monday

    start = next_monday()
    return {"leave_type": leave_type_record("annual").pk, "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=4)).isoformat(), "substitute": substitute, "note": "",
            "action": "submit"}


@pytest.fixture
def database_tasks(settings):
    """The task backend of production: enqueuing a task is one row in the database, run later by the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _submit_counting(client, data: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.post("/services/leave/", data)
    assert response.status_code == 302
    return len(context.captured_queries)


@pytest.mark.parametrize("delegations", [1, 6])
def test_a_routed_leave_submission_stays_under_its_ceiling_and_only_enqueues_the_messages(
        applicant, approver, unit, applicant_client, site, database_tasks, delegations):
    from django_tasks_db.models import DBTaskResult

    from services.models import Notification, ServiceRequest

    _city_with_delegations(approver, unit, delegations)
    data = _leave_post()
    applicant_client.get("/services/leave/")  # warm the per-process caches

    # 24 in a test's transaction, two of them the savepoint: the same whatever the number of delegates. What the
    # form found itself (the type of leave, the period's order) is not asked again, and the person comes with the unit.
    assert _submit_counting(applicant_client, data) <= 24
    request = ServiceRequest.objects.get(applicant=applicant)
    assert not Notification.objects.filter(request=request).exists()
    task = DBTaskResult.objects.get()
    messages = task.args_kwargs["kwargs"]["messages"]
    assert [message["to"] for message in messages] == ["applicant", "approvers"]
    assert len(messages[1]["user_ids"]) == 1 + delegations

    # What the worker then does: one notification per approver; the applicant filed it herself, the page told her.
    task.task.call(**task.args_kwargs["kwargs"])
    assert Notification.objects.filter(request=request).count() == 1 + delegations
    assert not Notification.objects.filter(request=request, recipient=applicant).exists()


def test_a_leave_submission_waiting_for_the_substitute_stays_under_its_ceiling(applicant, colleague, applicant_client, site,
                                                                              database_tasks):
    data = _leave_post(substitute=colleague.email)
    applicant_client.get("/services/leave/")
    # 25: held for the substitute in the INSERT already, and the substitute the form found not looked for again.
    assert _submit_counting(applicant_client, data) <= 25


def test_the_dashboard_stays_under_its_ceiling(approver, unit, client_for, site):
    leave_request(applicant=approver)
    _city_with_delegations(approver, unit, 3)
    client = client_for(approver)
    count_queries(client, "/")
    # 20: session and user (2); the site, the locale and the home page (3); the home page's view restrictions (1);
    # the open requests (1); the leave balances of every year shown: suspensions, carry-over extensions, bookings (3);
    # the responsibilities held (1), the delegations (1) and the holders one stands in for (1); the subtrees' units
    # with the forwarded cases (1); the queue, coffee kitchen, phishing and unread-notification counts together (1);
    # the site alert (1); the services and the guidance highlights (2); the accessibility statement (1); whether the
    # user bar shows (1).
    assert count_queries(client, "/") <= 20


def test_the_guidance_page_stays_under_its_ceiling_for_anonymous_readers(site):
    from django.test import Client

    client = Client()
    count_queries(client, "/guidance/phishing/")
    assert count_queries(client, "/guidance/phishing/") <= 8


def test_the_guidance_page_stays_under_its_ceiling_for_staff(applicant_client, site):
    count_queries(applicant_client, "/guidance/phishing/")
    assert count_queries(applicant_client, "/guidance/phishing/") <= 13


# --- The approver's lists: the same queries however long (issue 14) ---------------------------------------------

def test_the_decided_list_uses_constant_queries(approver, applicant, client_for, site):
    from services import workflow

    def decide(count):
        for _ in range(count):
            workflow.request_decide(request=leave_request(applicant=applicant, step_permission="decide_leave"),
                                    actor=approver, decision="approve")

    client = client_for(approver)
    decide(1)
    count_queries(client, "/queue/decided/")
    few = count_queries(client, "/queue/decided/")
    decide(12)
    assert count_queries(client, "/queue/decided/") == few


def test_the_queue_count_on_the_dashboard_uses_constant_queries(approver, applicant, client_for, site, settings):
    settings.LIST_COUNT_CAP = 10
    client = client_for(approver)
    leave_request(applicant=applicant, step_permission="decide_leave")
    count_queries(client, "/")
    few = count_queries(client, "/")
    for _ in range(15):  # past the cap: still counted in the one query of the dashboard's numbers
        leave_request(applicant=applicant, step_permission="decide_leave")
    assert count_queries(client, "/") == few
