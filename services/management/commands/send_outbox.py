"""One pass over the outbox: send every mail that is due now (the worker does this by itself; this is for cron or by hand)."""

from django.core.management.base import BaseCommand

from services.outbox.sending import outbox_send_due


class Command(BaseCommand):
    help = "Send the outbox's due mails once: each at most once, failures retried later with backoff."

    def handle(self, *args, **options) -> None:
        run = outbox_send_due()
        self.stdout.write(f"sent {run.sent}, waiting for another try {run.requeued}, given up {run.given_up}")
