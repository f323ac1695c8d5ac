"""Template context shared by every page of the portal."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from services.notifications.selectors import unread_notification_count


def notifications(request: HttpRequest) -> dict:
    """The number of the user's unread notifications, counted (one COUNT query) only if a template shows it."""

    def unread_count() -> int:
        user = getattr(request, "user", None)
        return unread_notification_count(user) if user is not None else 0

    return {"unread_notification_count": SimpleLazyObject(unread_count)}
