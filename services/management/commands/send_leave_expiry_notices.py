"""`manage.py send_leave_expiry_notices`: tell everyone with leave left when it expires (run daily; idempotent).

The rules are in services.leave.expiry; the rounds start on the days of LEAVE_EXPIRY_NOTICE_DAYS. Outside a round it
sends nothing; inside one, each person gets the round's notice once.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.leave.expiry import leave_expiry_notices_send


class Command(BaseCommand):
    help = gettext_lazy("Give everyone with leave left this round's notice of when it expires (BAG 9 AZR 423/16)."
                        " Run daily.")

    def handle(self, *args, **options) -> None:
        self.stdout.write(_("Sent:"))
        self.stdout.write(f"  leave_expiry_notices: {leave_expiry_notices_send()}")
