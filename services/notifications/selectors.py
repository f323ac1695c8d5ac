"""Reading one's notifications in the portal."""

from django.db.models import QuerySet

from portal.models import User
from services.models import Notification


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications in the portal, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notifications(user: User) -> QuerySet[Notification]:
    """The user's notifications not read yet (none for visitors who are not logged in)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def unread_notification_count(user: User) -> int:
    """One COUNT query; nothing at all for visitors who are not logged in."""
    if not user.is_authenticated:
        return 0
    return unread_notifications(user).count()
