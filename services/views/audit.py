"""The audit export: who did what, on whose behalf and under which delegation, as a CSV for a period.

Only administrators (superusers) may export; for everybody else the pages do not exist (404).
"""

import csv
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.http import private_response
from portal.mfa import mfa_setup_redirect, require_reauthentication
from portal.models import User
from portal.responsibilities import responsibility_label
from portal.security_log import security_event
from services import permissions, selectors
from services.forms import AuditPeriodForm
from services.models import AuditEvent, RequestEvent

# Cells a spreadsheet would read as a formula; "\t" and "\r" are included as OWASP advises.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _auditor_checks(http_request: HttpRequest) -> HttpResponse | None:
    """404 for everyone but administrators; then a second factor and a recent re-authentication."""
    _require_auditor(http_request.user)
    if refusal := mfa_setup_redirect(http_request):
        return refusal
    require_reauthentication(http_request)
    return None


def _require_auditor(user: User) -> None:
    if not permissions.user_may_export_audit(user):
        raise Http404("No such page.")


def neutralise(value: object) -> str:
    """A cell as text that Excel or LibreOffice will never evaluate as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _person(user: User | None) -> str:
    if user is None:
        return ""
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email


def _time(event: RequestEvent | AuditEvent) -> str:
    return timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S")


def _detail_value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_detail_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key} {_detail_value(item)}" for key, item in sorted(value.items()))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def readable_detail(detail: object) -> str:
    """An audit event's details as text a person reads in a spreadsheet: "key: value; key: value", lists joined by commas."""
    if not detail:
        return ""
    if not isinstance(detail, dict):
        return _detail_value(detail)
    parts = []
    for key, value in sorted(detail.items()):
        if key == "permissions" and isinstance(value, list):
            value = [responsibility_label(codename) if isinstance(codename, str) else codename for codename in value]
        parts.append(f"{key}: {_detail_value(value)}")
    return "; ".join(parts)


def audit_header() -> list[str]:
    return [_("Time"), _("Record"), _("Request / subject"), _("Action"), _("By"), _("On behalf of"), _("Delegation"),
            _("From status"), _("To status"), _("Step"), _("Comment / detail")]


def audit_row(event: RequestEvent | AuditEvent) -> list[str]:
    if isinstance(event, RequestEvent):
        cells = [_time(event), _("Request event"), event.request.reference or f"#{event.request_id}",
                 event.get_action_display(), _person(event.actor), _person(event.on_behalf_of), event.delegation_id or "",
                 event.get_from_status_display() if event.from_status else "", event.get_to_status_display(),
                 event.step, event.comment]
    else:
        cells = [_time(event), _("Audit event"), event.subject, event.get_action_display(), _person(event.actor),
                 _person(event.on_behalf_of), event.delegation_id or "", "", "", "",
                 readable_detail(event.detail)]
    return [neutralise(cell) for cell in cells]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def audit_csv_lines(events: Iterable[RequestEvent | AuditEvent], *, language: str) -> Iterator[str]:
    """UTF-8 with byte order mark and ";" as German Excel expects; one header line, then one line per event.

    The lines are produced while the response streams, after the view has returned, so the
    language is fixed here rather than taken from the request's activation.
    """
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    with translation.override(language):
        yield "\ufeff" + writer.writerow([neutralise(cell) for cell in audit_header()])
        for event in events:
            yield writer.writerow(audit_row(event))


@never_cache
@login_required
@require_GET
def audit_form(http_request: HttpRequest) -> HttpResponse:
    if refusal := _auditor_checks(http_request):
        return refusal
    return private_response(render(http_request, "services/audit/form.html", {"form": AuditPeriodForm()}))


@never_cache
@login_required
@require_GET
def audit_export(http_request: HttpRequest) -> HttpResponse:
    if refusal := _auditor_checks(http_request):
        return refusal
    form = AuditPeriodForm(http_request.GET)
    if not form.is_valid():
        return private_response(render(http_request, "services/audit/form.html", {"form": form}))
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    security_event("audit_exported", request=http_request, period=f"{start.isoformat()}/{end.isoformat()}")
    response = StreamingHttpResponse(
        audit_csv_lines(selectors.audit_events_between(start, end), language=translation.get_language()),
        content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)
