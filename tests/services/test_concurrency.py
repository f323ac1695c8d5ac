"""Two approvers deciding the same step at the same moment: exactly one decision, the other is told who and when.

The race runs in real threads, each with its own database connection and transaction, so that the
row lock (PostgreSQL) or the queue at BEGIN IMMEDIATE (SQLite) is what decides the outcome, not the
test's ordering. Run it against both:

    .venv/bin/python -m pytest tests/services/test_concurrency.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python -m pytest tests/services/test_concurrency.py --create-db
"""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.contrib.messages import constants, get_messages
from django.core import mail
from django.db import connection
from django.utils import timezone

from services import permissions, workflow
from services.kinds import registry
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from services.models import EventAction, RequestEvent, RequestStatus, ServiceRequest
from tests.factories import leave_type_record, make_holder, next_monday

LEAVE = registry.get("leave")
ROUNDS = 5
# Long enough that the first decider is certainly still inside its transaction when the second one
# arrives (a thread starts within a millisecond or so of the barrier), short enough for a quick test.
AUTHORITY_DELAY = 0.05
DECISION_EVENTS = (EventAction.APPROVED, EventAction.REJECTED)


def submitted_leave(applicant) -> ServiceRequest:
    """A leave request submitted through the workflow, so routed to step 1 with its step permission set."""
    start = next_monday()
    end = start + datetime.timedelta(days=4)
    details = LeaveRequest(leave_type=leave_type_record(), start_date=start, end_date=end, working_days=count_days(start=start, end=end))
    return workflow.request_submit(applicant=applicant, kind=LEAVE, details=details)


@dataclass
class Attempt:
    actor: object
    decision: str
    comment: str
    started: float = 0.0
    finished: float = 0.0
    result: ServiceRequest | None = None
    refusal: workflow.AlreadyDecided | None = None


def decide_at_the_barrier(barrier: threading.Barrier, request: ServiceRequest, attempt: Attempt) -> Attempt:
    """Runs in a worker thread: its own connection, its own transaction; the connection is closed at the end."""
    try:
        barrier.wait()
        attempt.started = time.monotonic()
        try:
            attempt.result = workflow.request_decide(request=request, actor=attempt.actor, decision=attempt.decision,
                                                     comment=attempt.comment, expected_step=1)
        except workflow.AlreadyDecided as refusal:
            attempt.refusal = refusal
        finally:
            attempt.finished = time.monotonic()
        return attempt
    finally:
        connection.close()


@pytest.fixture
def slow_authority(monkeypatch):
    """Widen the window: `request_decide` asks for the authority after locking the row and before changing it."""
    original = permissions.decision_authority

    def slow(*args, **kwargs):
        time.sleep(AUTHORITY_DELAY)
        return original(*args, **kwargs)

    def install():
        monkeypatch.setattr(permissions, "decision_authority", slow)

    return install


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_the_same_moment_give_exactly_one_decision(unit, approver, applicant, slow_authority):
    second = make_holder(unit, "decide_leave", email="dora.lang@musterstadt.example", first_name="Dora", last_name="Lang")
    requests = [submitted_leave(applicant) for _ in range(ROUNDS)]
    slow_authority()  # only now: submitting asks for the authority of every holder, and need not be slow

    with ThreadPoolExecutor(max_workers=2) as pool:
        for round_number, request in enumerate(requests, start=1):
            mail.outbox.clear()
            barrier = threading.Barrier(2, timeout=10)
            attempts = [
                Attempt(approver, "approve", f"Runde {round_number}: genehmigt von Bernd."),
                Attempt(second, "reject", f"Runde {round_number}: abgelehnt von Dora, Dienstplan ist voll."),
            ]
            if round_number % 2 == 0:
                attempts.reverse()  # who reaches the barrier last tends to go first: let each side start last in turn
            futures = [pool.submit(decide_at_the_barrier, barrier, request, attempt) for attempt in attempts]
            done = [future.result(timeout=30) for future in futures]

            succeeded = [attempt for attempt in done if attempt.result is not None]
            refused = [attempt for attempt in done if attempt.refusal is not None]
            assert len(succeeded) == 1, f"round {round_number}: {len(succeeded)} decisions succeeded"
            assert len(refused) == 1, f"round {round_number}: {len(refused)} decisions refused"
            winner, loser = succeeded[0], refused[0]

            # A real race: the loser set off before the winner had finished (and so before it committed).
            assert loser.started < winner.finished

            request.refresh_from_db()
            expected_status = RequestStatus.APPROVED if winner.decision == "approve" else RequestStatus.REJECTED
            assert request.status == expected_status
            assert request.decided_at is not None

            decisions = list(RequestEvent.objects.filter(request=request, action__in=DECISION_EVENTS))
            assert len(decisions) == 1
            assert decisions[0].actor == winner.actor
            assert decisions[0].comment == winner.comment

            # The loser is told who acted and when, and that nothing of theirs was saved.
            message = str(loser.refusal)
            assert isinstance(loser.refusal, workflow.TransitionNotAllowed)
            assert str(winner.actor) in message
            assert timezone.localtime(decisions[0].created_at).strftime("%d.%m.%Y %H:%M:%S") in message
            assert not RequestEvent.objects.filter(request=request, actor=loser.actor).exists()
            assert not RequestEvent.objects.filter(comment__contains=loser.comment).exists()
            assert not any(loser.comment in f"{email.subject}\n{email.body}" for email in mail.outbox)

    assert ServiceRequest.objects.filter(status__in=(RequestStatus.APPROVED, RequestStatus.REJECTED)).count() == ROUNDS


def test_the_same_decision_posted_twice_is_refused_the_second_time(approver, applicant, client_for):
    request = submitted_leave(applicant)
    client = client_for(approver)
    url = f"/requests/{request.reference}/decide/"
    form = {"decision": "approve", "comment": "Gute Erholung.", "expected_step": "1"}

    first = client.post(url, form)

    assert first.status_code == 302
    assert first["Location"].endswith("/queue/")
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    before = (request.status, request.current_step, request.decided_at, request.updated_at,
              list(request.events.values_list("pk", flat=True)))
    client.get(first["Location"])  # shows, and so uses up, the success message

    replay = client.post(url, form)

    assert replay.status_code == 302
    assert replay["Location"].endswith(f"/requests/{request.reference}/")
    messages = list(get_messages(replay.wsgi_request))
    assert [message.level for message in messages] == [constants.ERROR]
    assert str(approver) in str(messages[0])
    request.refresh_from_db()
    assert (request.status, request.current_step, request.decided_at, request.updated_at,
            list(request.events.values_list("pk", flat=True))) == before
    assert request.events.filter(action=EventAction.APPROVED).count() == 1
