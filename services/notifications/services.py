"""Changes to a person's notifications in the portal (they are created by services.notifications.messages with the e-mail)."""

from django.utils import timezone

from portal.models import User
from services.models import Notification


def notifications_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark the user's unread notifications as read, all of them or the one given; returns how many changed.

    Only the user's own notifications are touched: another person's id changes nothing.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
