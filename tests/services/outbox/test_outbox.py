"""The outbox: mail survives a mail server that is down, arrives once it is back, exactly once, and is given up in the end.

These run in one process (an SMTP server of aiosmtpd on a free port, the tasks run at once); test_worker.py
does the same with a real worker process on PostgreSQL.
"""

import datetime
import json
import logging

import pytest
import time_machine
from django.core.mail import send_mail
from django.utils import timezone, translation
from django_tasks import task
from post_office.models import STATUS, Email

from portal.security_log import JsonFormatter
from services import workflow
from services.kinds import registry
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from services.models import Notification
from services.outbox.sending import outbox_send_due, retry_delay
from services.outbox.tasks import send_outbox
from tests.factories import leave_type_record, make_holder, next_monday
from tests.services.outbox.smtp import SmtpServer

LEAVE = registry.get("leave")
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def smtp(settings):
    """A real SMTP server's port, with the outbox delivering there; the server is not started yet."""
    server = SmtpServer()
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": SMTP_BACKEND}}
    yield server
    server.stop()


def leave_details() -> LeaveRequest:
    start = next_monday()
    end = start + datetime.timedelta(days=4)
    return LeaveRequest(leave_type=leave_type_record(), start_date=start, end_date=end, working_days=count_days(start=start, end=end))


def later(minutes: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=True)


def test_the_wait_between_tries_doubles_up_to_the_maximum(settings):
    settings.OUTBOX_RETRY_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 60, 600
    assert [retry_delay(tries).total_seconds() for tries in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_mail_waits_while_the_mail_server_is_down_and_arrives_exactly_once_when_it_is_back(
        smtp, applicant, approver, unit, django_capture_on_commit_callbacks, caplog):
    second_approver = make_holder(unit, "decide_leave")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        request = workflow.request_submit(applicant=applicant, kind=LEAVE, details=leave_details())

    # Both approvers are told in the portal, although no mail could be sent (the applicant's page confirms the filing).
    assert sorted(Notification.objects.filter(request=request).values_list("recipient__email", flat=True)) == sorted(
        [approver.email, second_approver.email])
    waiting = Email.objects.all()
    assert waiting.count() == 2
    assert {(mail.status, mail.number_of_retries) for mail in waiting} == {(STATUS.requeued, 1)}
    assert {mail.logs.get().exception_type for mail in waiting} == {"ConnectionRefusedError"}
    retry_lines = [record for record in caplog.records if getattr(record, "fields", {}).get("event") == "mail_retry"]
    assert len(retry_lines) == 2 and all(applicant.email not in record.getMessage() for record in retry_lines)

    smtp.start()
    assert outbox_send_due().sent == 0  # not before the next try is due
    with later(minutes=2):
        assert send_outbox.call() == {"sent": 2, "requeued": 0, "given_up": 0}
        assert send_outbox.call()["sent"] == 0

    assert smtp.recipients() == sorted([approver.email, second_approver.email])
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.sent}


def test_a_mail_is_given_up_after_the_configured_tries_with_its_last_error(
        smtp, settings, db, django_capture_on_commit_callbacks, caplog):
    settings.OUTBOX_MAX_TRIES = 2
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Ihr Antrag", "Text", None, ["anna.schmidt@musterstadt.example"])
    with later(minutes=5):
        assert outbox_send_due().given_up == 1

    mail = Email.objects.get()
    assert (mail.status, mail.number_of_retries) == (STATUS.failed, 2)
    assert "Connection refused" in mail.logs.order_by("-date").first().message
    with later(minutes=60):
        assert outbox_send_due().sent == 0  # given up for good
    [given_up] = [record for record in caplog.records if getattr(record, "fields", {}).get("event") == "mail_given_up"]
    assert given_up.levelno == logging.ERROR and given_up.fields["email_id"] == mail.pk
    line = json.loads(JsonFormatter().format(given_up))
    assert line["event"] == "mail_given_up" and line["tries"] == 2 and line["error"] == "ConnectionRefusedError"
    assert "anna.schmidt" not in json.dumps(line)


def test_password_reset_answers_while_the_mail_server_is_down_and_the_mail_follows(
        smtp, client, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": applicant.email})

    assert response.status_code == 302
    mail = Email.objects.get()
    assert mail.to == [applicant.email] and mail.status == STATUS.requeued
    smtp.start()
    with later(minutes=2):
        outbox_send_due()
    assert smtp.recipients() == [applicant.email]
    assert "/accounts/password/reset/key/" in smtp.received[0].get_payload(decode=True).decode()


def test_a_mail_of_a_rolled_back_change_is_never_sent(smtp, db, django_capture_on_commit_callbacks):
    from django.db import transaction

    smtp.start()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Entwurf", "Text", None, ["anna.schmidt@musterstadt.example"])
        raise RuntimeError("the change failed")

    assert not Email.objects.exists()
    assert smtp.received == []


@task()
def failing_task() -> None:
    raise ValueError("the PDF could not be rendered")


def test_a_task_that_fails_is_logged_with_its_traceback(caplog):
    with caplog.at_level(logging.ERROR, logger="django_tasks"):
        failing_task.enqueue()

    [line] = [record for record in caplog.records if record.name == "django_tasks" and record.levelno == logging.ERROR]
    assert "failing_task" in line.getMessage() and line.exc_info[0] is ValueError


def test_send_outbox_command_sends_what_is_due(smtp, db, capsys):
    from django.core.management import call_command

    smtp.start()
    send_mail("Ihr Antrag", "Text", None, ["anna.schmidt@musterstadt.example"])  # not committed: the worker is not woken
    call_command("send_outbox")

    assert capsys.readouterr().out.strip() == "sent 1, waiting for another try 0, given up 0"
    assert smtp.recipients() == ["anna.schmidt@musterstadt.example"]
