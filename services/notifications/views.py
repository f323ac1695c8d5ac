"""The person's notifications in the portal: the list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.http import private_response
from services.notifications.selectors import notifications_of
from services.notifications.services import notifications_mark_read


def _safe_link(url: str, http_request: HttpRequest) -> str:
    """Notifications link inside the portal only; anything else is shown without a link."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={http_request.get_host()}):
        return url
    return ""


@never_cache
@login_required
@require_GET
def notification_list(http_request: HttpRequest) -> HttpResponse:
    paginator = Paginator(notifications_of(http_request.user), 25)
    page = paginator.get_page(http_request.GET.get("page"))
    rows = [(notification, _safe_link(notification.url, http_request)) for notification in page.object_list]
    return private_response(render(http_request, "services/notifications/list.html", {"page": page, "rows": rows}))


@never_cache
@login_required
@require_POST
def notification_mark_read(http_request: HttpRequest) -> HttpResponse:
    """Mark all unread notifications read, or only the one whose id is posted (the user's own only)."""
    raw_id = http_request.POST.get("id", "").strip()
    if raw_id:
        if raw_id.isdigit():
            notifications_mark_read(user=http_request.user, notification_id=int(raw_id))
    else:
        notifications_mark_read(user=http_request.user)
    page = http_request.POST.get("page", "")
    target = redirect("notifications")
    if page.isdigit():
        target["Location"] += f"?page={page}"
    return target
