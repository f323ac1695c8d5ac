"""Operational views of the portal."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
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
