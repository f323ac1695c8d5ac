"""The dates the portal accepts at all: one rule for every form and endpoint that takes a date.

Python's dates end in the year 9999 and the day counts, holidays and leave years go one year further;
a date typed as 31.12.9999 must be told apart from a real one before anything is counted with it.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2000
# Requests are planned at most this many years ahead; the audit trail holds nothing later either.
YEARS_AHEAD = 10


def date_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day the portal accepts: 1 January 2000 to the end of the year ten years from now."""
    today = today or timezone.localdate()
    return datetime.date(EARLIEST_YEAR, 1, 1), datetime.date(today.year + YEARS_AHEAD, 12, 31)


def is_in_range(value: datetime.date) -> bool:
    first, last = date_range()
    return first <= value <= last


def out_of_range_message() -> str:
    first, last = date_range()
    return _("Enter a date between %(first)s and %(last)s.") % {
        "first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")}
