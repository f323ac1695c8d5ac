"""The worker's side of the outbox (django-tasks): send what is due, and come back when the next retry is due."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend, task

from services.outbox.sending import next_retry_at, outbox_send_due


def _retry_already_planned(at: datetime.datetime) -> bool:
    """Whether another run of this task already waits in the database backend to start by `at` (or at once)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not isinstance(default_task_backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=send_outbox.module_path).filter(
        Q(run_after__lte=at) | Q(run_after=get_date_max())).exists()


@task()
def send_outbox() -> dict:
    """Deliver the outbox's due mails; if some wait for another try, run again when the first of them is due."""
    run = outbox_send_due()
    retry_at = next_retry_at()
    if retry_at is not None and default_task_backend.supports_defer and not _retry_already_planned(retry_at):
        send_outbox.using(run_after=max(retry_at, timezone.now())).enqueue()
    return {"sent": run.sent, "requeued": run.requeued, "given_up": run.given_up}


def outbox_wake_sender_on_commit() -> None:
    """Have the worker send the outbox once the current transaction commits.

    One wake-up per queued batch: a run that finds its mails already sent by an earlier one ends at once.
    """
    transaction.on_commit(send_outbox.enqueue)


def wake_sender_when_mail_is_queued(sender, emails, **kwargs) -> None:
    """Receiver of post-office's `email_queued`: whatever queued the mail, the worker sends it after the commit."""
    outbox_wake_sender_on_commit()
