"""Delivering the outbox: each due mail once, with its row locked, retried with backoff, given up in the end.

Mails are queued by Django's mail API (EMAIL_BACKEND is post-office's queueing backend) in the
transaction that causes them, so a rolled-back decision sends nothing and a committed one loses nothing.
Each mail is then sent in a transaction of its own that holds its row (`select_for_update(skip_locked)`):
two workers never pick the same mail, and its status changes in the same commit that ends the attempt.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from post_office.models import STATUS, Email, Log

logger = logging.getLogger("services.outbox")

WAITING = (STATUS.queued, STATUS.requeued)


@dataclass
class OutboxRun:
    """What one pass over the outbox did."""

    sent: int = 0
    requeued: int = 0
    given_up: int = 0


def retry_delay(failed_tries: int) -> datetime.timedelta:
    """The wait after the n-th failed try: OUTBOX_RETRY_SECONDS, doubling each time, at most OUTBOX_RETRY_MAX_SECONDS."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** max(failed_tries - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _due(now: datetime.datetime) -> Q:
    return (Q(status__in=WAITING) & (Q(scheduled_time__isnull=True) | Q(scheduled_time__lte=now))
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)))


def _claim_next() -> Email | None:
    """The next due mail, locked for this transaction; None when nothing is due (or every due one is being sent)."""
    return (Email.objects.select_for_update(skip_locked=True).filter(_due(timezone.now()))
            .order_by("scheduled_time", "pk").first())


def _error_fields(error: Exception) -> dict:
    """What the log line says about a failure: its kind and SMTP code, never the server's text (it may name recipients)."""
    fields = {"error": type(error).__name__}
    if isinstance(error, smtplib.SMTPResponseException):
        fields["smtp_code"] = error.smtp_code
    return fields


def _record_failure(email: Email, error: Exception, run: OutboxRun) -> None:
    failed_tries = (email.number_of_retries or 0) + 1
    email.number_of_retries = failed_tries
    fields = {"email_id": email.pk, "tries": failed_tries, "max_tries": settings.OUTBOX_MAX_TRIES, **_error_fields(error)}
    if failed_tries >= settings.OUTBOX_MAX_TRIES:
        email.status = STATUS.failed
        run.given_up += 1
        logger.error("outbox: mail %s given up after %s tries", email.pk, failed_tries,
                     extra={"fields": {"event": "mail_given_up", **fields}})
    else:
        email.status = STATUS.requeued
        email.scheduled_time = timezone.now() + retry_delay(failed_tries)
        run.requeued += 1
        logger.warning("outbox: mail %s not delivered, try %s of %s", email.pk, failed_tries, settings.OUTBOX_MAX_TRIES,
                       extra={"fields": {"event": "mail_retry", "retry_at": email.scheduled_time.isoformat(), **fields}})
    email.save(update_fields=["status", "scheduled_time", "number_of_retries", "last_updated"])
    Log.objects.create(email=email, status=STATUS.failed, message=str(error)[:2000], exception_type=type(error).__name__)


def outbox_send_due(*, limit: int = 500) -> OutboxRun:
    """Send every mail that is due now (up to `limit`), each in its own transaction; returns what happened."""
    run = OutboxRun()
    for _ in range(limit):
        with transaction.atomic():
            email = _claim_next()
            if email is None:
                break
            try:
                email.dispatch(commit=False, disconnect_after_delivery=True)
            except Exception as error:  # noqa: BLE001 - any failure of the transport is a failed try
                _record_failure(email, error, run)
            else:
                email.status = STATUS.sent
                email.save(update_fields=["status", "last_updated"])
                Log.objects.create(email=email, status=STATUS.sent)
                run.sent += 1
    return run


def next_retry_at() -> datetime.datetime | None:
    """When the earliest mail that waits for another try becomes due (None when none waits)."""
    return Email.objects.filter(status=STATUS.requeued).aggregate(first=Min("scheduled_time"))["first"]
