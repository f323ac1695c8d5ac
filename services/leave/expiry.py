"""The notice that leave would expire (BAG 19.2.2019, 9 AZR 423/16), and the proof that it was given.

Carried-over leave expires at the end of the carry-over period (TVöD §26 (2) a) only if the employer told the
person in time how many days are left, when they expire, and asked them to take them. From each day of
`LEAVE_EXPIRY_NOTICE_DAYS` (2 January and 1 March by default) until the next such day, and the last one until the
carry-over deadline (at least a week), everyone with carried-over or current leave left gets that notice once:
in the portal and by e-mail (services.notifications). Each notice is a LeaveExpiryNotice row with what it said
and when it was delivered, mailed and opened; HR (holders of `review_personnel`) export them as CSV.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import User
from services import permissions
from services.leave import rules
from services.leave.ledger import leave_balance
from services.leave.models import LeaveExpiryNotice
from services.models import Notification
from services.notifications.messages import deliver_notification

ZERO = Decimal("0")
MINIMUM_ROUND_DAYS = 7


def current_round(today: datetime.date) -> str | None:
    """The round (its day, MM-DD) whose notices are due on `today`, or None outside every round."""
    starts = [datetime.date(today.year, month, day) for month, day in settings.LEAVE_EXPIRY_NOTICE_DAYS]
    for index in range(len(starts) - 1, -1, -1):
        start = starts[index]
        if start > today:
            continue
        if index + 1 < len(starts):
            end = starts[index + 1]
        else:
            end = max(rules.carry_over_deadline(today.year) + datetime.timedelta(days=1),
                      start + datetime.timedelta(days=MINIMUM_ROUND_DAYS))
        return start.strftime("%m-%d") if today < end else None
    return None


def staff_to_notify(today: datetime.date) -> QuerySet[User]:
    """Active staff from the HR import who are employed on `today`."""
    return (User.objects.filter(is_active=True, personnel_number__isnull=False)
            .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=today))
            .filter(Q(employment_start__isnull=True) | Q(employment_start__lte=today))
            .order_by("pk"))


def leave_expiry_notices_send(*, today: datetime.date | None = None) -> int:
    """Give this round's notice to everyone with leave left who has not had it yet; returns how many were sent."""
    today = today or timezone.localdate()
    round_day = current_round(today)
    if round_day is None:
        return 0
    already = set(LeaveExpiryNotice.objects.filter(year=today.year, round=round_day).values_list("employee_id", flat=True))
    sent = 0
    for employee in staff_to_notify(today).exclude(pk__in=already):
        balance = leave_balance(employee=employee, year=today.year, on=today)
        carried, current = balance.carried_over_remaining, balance.current_year_remaining
        if carried + current <= ZERO:
            continue
        sent += leave_expiry_notice_deliver(employee=employee, year=today.year, round_day=round_day, carried_over=carried,
                                            deadline=balance.carry_over_deadline, current=current)
    return sent


def leave_expiry_notice_deliver(*, employee: User, year: int, round_day: str, carried_over: Decimal,
                                deadline: datetime.date, current: Decimal) -> int:
    """Record and deliver one notice, unless this round's notice reached the person already (1 if sent now)."""
    with transaction.atomic():
        notice, created = LeaveExpiryNotice.objects.get_or_create(
            employee=employee, year=year, round=round_day,
            defaults={"carried_over_days": carried_over, "carry_over_deadline": deadline, "current_year_days": current})
        if not created:
            return 0
        # The link in the recipient's language, whatever language the run happens to be in.
        with translation.override(employee.preferred_language or settings.LANGUAGE_CODE):
            path = reverse("leave_expiry_notice", args=[notice.pk])
        notification, mails = deliver_notification(
            recipient=employee, template="leave_expiry", path=path,
            context={"notice": notice, "year_end": datetime.date(year, 12, 31),
                     "next_deadline": rules.carry_over_deadline(year + 1)})
        notice.notification = notification
        notice.delivered_at = notification.created_at
        notice.emailed_at = timezone.now() if mails else None
        notice.save(update_fields=["notification", "delivered_at", "emailed_at"])
    return 1


def get_notice_for_user_or_none(user: User, pk: int) -> LeaveExpiryNotice | None:
    return LeaveExpiryNotice.objects.filter(pk=pk, employee=user).first() if user.is_authenticated else None


@transaction.atomic
def leave_expiry_notice_mark_read(*, notice: LeaveExpiryNotice) -> LeaveExpiryNotice:
    """The person opened the notice: record when (the first time only) and mark its notification read."""
    now = timezone.now()
    if notice.read_at is None:
        LeaveExpiryNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
        notice.refresh_from_db(fields=["read_at"])
    if notice.notification_id:
        Notification.objects.filter(pk=notice.notification_id, read_at__isnull=True).update(read_at=now)
    return notice


def notices_for_personnel_review(user: User, *, year: int, personnel_number: str = "") -> QuerySet[LeaveExpiryNotice]:
    """The notices of `year` for the people in the units where `user` reviews personnel matters (HR)."""
    paths = permissions.personnel_review_paths(user)
    if not paths:
        return LeaveExpiryNotice.objects.none()
    reach = Q(pk__in=[])
    for path in paths:
        reach |= Q(employee__unit__path__startswith=path)
    notices = LeaveExpiryNotice.objects.filter(reach, year=year)
    if personnel_number:
        notices = notices.filter(employee__personnel_number=personnel_number)
    return notices.select_related("employee", "employee__unit").order_by("employee__last_name", "employee__pk", "round")
