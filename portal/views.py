"""Operational views of the portal."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.views import i18n
from django.views.decorators.cache import never_cache
from django_tasks import default_task_backend


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the task backend answer, 503 otherwise (for load balancers and monitoring)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {type(error).__name__}"
    try:
        problems = [message for message in default_task_backend.check() if message.is_serious()]
        if type(default_task_backend).__module__.startswith("django_tasks_db"):
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
        checks["tasks"] = "ok" if not problems else f"error: {problems[0].msg}"
    except Exception as error:  # noqa: BLE001
        checks["tasks"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, reading `next` in the language of its own URL prefix.

    Django translates `next` in the language active for this request, which is outside the i18n patterns and
    comes from the cookie or the browser: "/en/requests/" switched to German stayed English for everyone
    whose browser asked for German.
    """
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    language = translation.get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE
    with translation.override(language):
        return i18n.set_language(request)
