"""The security page of the person logged in, and the download of everything the portal holds about them."""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.http import private_response
from portal.security_log import security_event
from services.privacy.export import personal_data_of


@never_cache
@login_required
@require_GET
def account_security(http_request: HttpRequest) -> HttpResponse:
    return private_response(render(http_request, "services/privacy/security.html"))


@never_cache
@login_required
@require_GET
def account_data_export(http_request: HttpRequest) -> HttpResponse:
    """Everything about the person as a JSON file (DSGVO Art. 15): their own data only, never another person's."""
    data = personal_data_of(http_request.user)
    security_event("data_exported", request=http_request, requests=len(data["requests"]))
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kurzer-dienstweg-{timezone.localdate():%Y-%m-%d}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)
