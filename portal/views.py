"""Operational views of the portal."""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection, router, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from portal.http import private_response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the task backend and the cache answer, 503 otherwise (for load balancers and monitoring).

    The cache holds the rate limits' counts (a shared Redis in production): without it nobody can log in.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {type(error).__name__}"
    try:
        # The backend itself, not django_tasks' default_task_backend: that is a proxy, whose type is never the backend's.
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        problems = [message for message in backend.check() if message.is_serious()]
        if not problems and type(backend).__module__.startswith("django_tasks_db"):
            # The queue lives in a table of its own (maybe behind a router): the workers need it readable.
            from django_tasks_db.models import DBTaskResult

            with transaction.atomic(using=router.db_for_read(DBTaskResult)):
                DBTaskResult.objects.exists()
        checks["tasks"] = "ok" if not problems else f"error: {problems[0].msg}"
    except Exception as error:  # noqa: BLE001
        checks["tasks"] = f"error: {type(error).__name__}"
    try:
        probe = f"healthz:{secrets.token_hex(8)}"
        cache.set(probe, "ok", timeout=10)
        checks["cache"] = "ok" if cache.get(probe) == "ok" else "error: value not kept"
        cache.delete(probe)
    except Exception as error:  # noqa: BLE001
        checks["cache"] = f"error: {type(error).__name__}"
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
        response = i18n.set_language(request)
        target_language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
        if request.method == "POST" and response.status_code == 302 and target_language in dict(settings.LANGUAGES):
            translated_url = translated_page_url(request, next_url, target_language)
            if translated_url:
                response["Location"] = translated_url
    return response


def translated_page_url(request: HttpRequest, url: str, language: str) -> str | None:
    """The URL of the published translation of the Wagtail page at `url` (a local path), or None.

    Translations may have their own slugs ("hinweise" / "guidance"), which Django's translate_url
    cannot know. Call it with the language of `url` active, so that the page tree of that language
    is the one that is searched.
    """
    from wagtail.models import Locale, Page
    from wagtail.views import serve

    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.func is not serve:
        return None
    page_path = match.args[0] if match.args else match.kwargs.get("path", "")
    page = Page.find_for_request(request, page_path)
    locale = Locale.objects.filter(language_code=language).first()
    if page is None or locale is None or page.locale_id == locale.pk:
        return None
    translation_page = page.get_translation_or_none(locale)
    if translation_page is None or not translation_page.live:
        return None
    translated_url = translation_page.get_url(request=request)
    if translated_url and parts.query:
        translated_url = f"{translated_url}?{parts.query}"
    return translated_url


@login_required
@require_GET
def account_email(request: HttpRequest) -> HttpResponse:
    """In place of allauth's e-mail management: addresses come from the HR import and cannot be changed here.

    The address names a person for forwarding, delegation and substitution and in the audit trail, so
    staff may not add, remove or change theirs; the page says whom to ask instead. Other methods answer 405.
    """
    return private_response(render(request, "account/email_managed.html", {"email": request.user.email}))


# Error pages (portal/urls.py names them as Django's handlers). 403 and 404 use the portal's layout with its
# header and navigation; the 500 page must render when the database is what failed, so it is a plain template
# (templates/500.html on templates/error_base.html) rendered without context processors.


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """allauth's rate limits answer with the portal's page (it looks up ROOT_URLCONF.handler429)."""
    return render(request, "429.html", status=429)


def server_error(request: HttpRequest) -> HttpResponse:
    from django.template import loader

    home_url = "/en/" if translation.get_language() == "en" else "/"
    return HttpResponse(loader.get_template("500.html").render({"home_url": home_url}), status=500)
