"""The worker for real: `manage.py db_worker` (production settings, as deployed) sends the outbox to a real SMTP server.

A request filed through the service reaches its recipients; with the mail server stopped, a second request's
mails wait and are retried, and once it is started again every mail arrives exactly once. PostgreSQL only:
the worker is a second process on the same test database.
"""

import os
import time
import uuid

import pytest
from django.db import connection
from post_office.models import STATUS, Email

from services import workflow
from services.kinds import registry
from tests.factories import make_holder
from tests.servers import database_url, process_environment, start_worker, stop_process, wait_for
from tests.services.outbox.smtp import SmtpServer
from tests.services.outbox.test_outbox import leave_details

REDIS_URL = os.environ.get("OUTBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
LEAVE = registry.get("leave")

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="starts a worker process on the shared test database: PostgreSQL only")


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(transactional_db, settings, smtp, tmp_path):
    """`manage.py db_worker` with the production settings, on this test database, sending to `smtp`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = process_environment(
        "OUTBOX_", "EMAIL_", "CACHE_",
        DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY=uuid.uuid4().hex * 2,
        DATABASE_URL=database_url(), ALLOWED_HOSTS="portal.musterstadt.example",
        WAGTAILADMIN_BASE_URL="https://portal.musterstadt.example", CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"kd-outbox-{uuid.uuid4().hex[:8]}",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port), EMAIL_TIMEOUT="5",
        OUTBOX_RETRY_SECONDS="1", OUTBOX_RETRY_MAX_SECONDS="2",
    )
    process = start_worker(env, tmp_path / "worker.log")
    yield process
    stop_process(process, seconds=20)


def test_the_worker_delivers_every_mail_exactly_once_across_a_mail_server_outage(worker, smtp, applicant, approver, unit):
    second_approver = make_holder(unit, "decide_leave")
    # The two approvers are told; the applicant filed it herself and the page told her (no mail).
    everyone = sorted([approver.email, second_approver.email])

    workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details())
    wait_for(lambda: len(smtp.received) == 2, what="the first request's mails")
    assert smtp.recipients() == everyone

    smtp.stop()
    second = workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details())
    waiting = Email.objects.filter(subject__contains=second.reference) | Email.objects.filter(
        message__contains=second.reference)
    wait_for(lambda: waiting.filter(status=STATUS.requeued, number_of_retries__gte=1).count() == 2, seconds=60,
             what="the worker to fail and requeue the second request's mails")
    assert worker.poll() is None
    smtp.start()

    wait_for(lambda: len(smtp.received) == 4, seconds=60, what="the retried mails")
    time.sleep(3)  # long enough for another round of retries, should anything be sent twice
    assert len(smtp.received) == 4
    assert len({message["Message-ID"] for message in smtp.received}) == 4
    assert smtp.recipients() == sorted(everyone * 2)
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.sent}
