"""`manage.py run_scheduled_jobs`: the one entry point for cron or a systemd timer (run it every hour or daily).

    python manage.py run_scheduled_jobs [--only JOB ...]

Runs, in this order: Wagtail's scheduled publishing (`publish_scheduled`), the reminders and escalations
(`send_reminders`), the leave expiry notices (`send_leave_expiry_notices`) and the retention run
(`apply_retention`). Each job is idempotent, so running them again, or twice at once, sends and removes nothing
twice. A job that fails does not stop the others; the command then exits with an error naming it.
"""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy

logger = logging.getLogger("services.scheduled_jobs")

JOBS = {
    "publish": "publish_scheduled",
    "reminders": "send_reminders",
    "leave_expiry_notices": "send_leave_expiry_notices",
    "retention": "apply_retention",
}


class Command(BaseCommand):
    help = gettext_lazy("Run every scheduled job: scheduled publishing, reminders, leave expiry notices, retention.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--only", nargs="+", choices=sorted(JOBS), help=gettext_lazy("Run only these jobs."))

    def handle(self, *args, only: list[str] | None = None, **options) -> None:
        failed = []
        for name, command in JOBS.items():
            if only and name not in only:
                continue
            self.stdout.write(f"== {name}")
            try:
                call_command(command, stdout=self.stdout, stderr=self.stderr)
            except Exception as error:  # noqa: BLE001  one failing job must not keep the others from running
                logger.exception("Scheduled job %s failed", name)
                self.stderr.write(f"{name} failed: {error!r}")
                failed.append(name)
        if failed:
            raise CommandError(f"Scheduled jobs failed: {', '.join(failed)}")
