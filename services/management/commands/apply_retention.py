"""`manage.py apply_retention`: remove what the portal no longer needs to keep (run daily from cron).

    python manage.py apply_retention [--dry-run]

The rules are in services.privacy.retention; the periods are settings (RETENTION_LEAVE_YEARS,
RETENTION_REQUEST_YEARS, RETENTION_NOTIFICATION_DAYS, RETENTION_AUDIT_YEARS, and for the trust channels
KUMMERKASTEN_RETENTION_DAYS, PHISHING_RETENTION_DAYS, SURVEY_FREE_TEXT_RETENTION_DAYS). It prints how many records of each
type went (or, with --dry-run, would go, changing nothing). Each request goes in a transaction of its own, so an
interrupted run leaves every request untouched or fully removed, and the next run carries on.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.privacy.retention import retention_apply


class Command(BaseCommand):
    help = gettext_lazy("Remove finished requests, their attachments, events and notifications, audit events, closed"
                        " Kummerkasten messages, classified phishing cases, survey free texts and ended coffees whose"
                        " retention period is over. Run daily.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help=gettext_lazy("Only print what would be removed; change nothing."))

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        report = retention_apply(dry_run=dry_run)
        # One line per record type under its stable name, so that cron's mail and log readers can rely on it.
        self.stdout.write(_("Would remove (dry run, nothing was changed):") if dry_run else _("Removed:"))
        for name, count in report.counts.items():
            if name != "kept_for_leave_ledger":
                self.stdout.write(f"  {name}: {count}")
        self.stdout.write(_("Kept because the leave ledger still counts them:"))
        self.stdout.write(f"  kept_for_leave_ledger: {report.counts['kept_for_leave_ledger']}")
