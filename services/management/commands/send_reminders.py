"""`manage.py send_reminders`: remind whoever may decide a request that waits too long (run daily; idempotent).

The rules are in services.reminders.services; the limits are settings (REMINDER_AFTER_WORKING_DAYS,
ESCALATION_AFTER_WORKING_DAYS, BARRIER_REPORT_REMINDER_DAYS). Running it twice sends nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.reminders.models import ReminderReason
from services.reminders.services import reminders_send


class Command(BaseCommand):
    help = gettext_lazy("Remind those who may decide requests that wait too long, and tell the holders after the second"
                        " limit. Run daily.")

    def handle(self, *args, **options) -> None:
        report = reminders_send()
        self.stdout.write(_("Sent:"))
        for reason in ReminderReason:
            self.stdout.write(f"  {reason.value}: {report.counts[reason.value]}")
