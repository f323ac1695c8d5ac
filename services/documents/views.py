"""The pages of decision documents: the download (for whoever may see the request) and /verify/ (for anyone)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.http import private_response
from portal.security_log import client_address, security_event
from services import permissions
from services.documents import limits, selectors
from services.documents.forms import VerifyByCodeForm, VerifyByUploadForm
from services.documents.models import DecisionDocument


@never_cache
@login_required
@require_GET
def document_download(http_request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    """The applicant and everyone who may see the request download its document as it was issued."""
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    document = get_object_or_404(selectors.issued_documents_of(service_request), pk=document_id)
    response = FileResponse(document.file.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=f"{_('Decision')}-{service_request.reference}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)


def _found(document: DecisionDocument) -> dict:
    """What /verify/ tells about a document it issued: its kind, date and outcome, and nothing else."""
    return {"kind": document.request.kind_label, "decided_at": document.decided_at,
            "outcome": document.get_outcome_display(), "reference": document.request.reference}


def _limited(http_request: HttpRequest, context: dict, scope: str) -> HttpResponse:
    security_event("verification_rate_limited", request=http_request, scope=scope)
    context["limited"] = True
    response = render(http_request, "services/documents/verify.html", context, status=429)
    response["Retry-After"] = "900"
    return private_response(response)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(http_request: HttpRequest) -> HttpResponse:
    """Anyone checks a decision document: by reference and code (also from the QR code's link), or by uploading it.

    A wrong code and an unknown reference get the same answer and count the same, so the answer never tells
    whether a reference exists. Every attempt counts against the client's address, every wrong code against
    the reference typed (limits.py).
    """
    client = client_address(http_request.META) or "unknown"
    by_upload = http_request.method == "POST" and "document" in http_request.FILES
    code_data = http_request.POST if http_request.method == "POST" and not by_upload else (
        http_request.GET if {"reference", "code"} <= set(http_request.GET) else None)
    code_form = VerifyByCodeForm(code_data, prefix=None)
    upload_form = VerifyByUploadForm(http_request.POST if by_upload else None, http_request.FILES if by_upload else None)
    context = {"code_form": code_form, "upload_form": upload_form, "result": None, "checked": None}
    if code_data is None and not by_upload:
        return private_response(render(http_request, "services/documents/verify.html", context))
    if limits.client_exhausted(client):
        return _limited(http_request, context, "client")
    limits.record("client", client)
    if by_upload:
        context["checked"] = "upload"
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["document"]
            document = selectors.document_by_sha256(selectors.sha256_of(upload.chunks()))
            context["result"] = _found(document) if document else False
            security_event("verification", request=http_request, method="upload",
                           outcome="confirmed" if document else "not_issued")
        return private_response(render(http_request, "services/documents/verify.html", context))
    context["checked"] = "code"
    if not code_form.is_valid():
        return private_response(render(http_request, "services/documents/verify.html", context))
    reference = code_form.cleaned_data["reference"]
    if limits.reference_exhausted(reference):
        return _limited(http_request, context, "reference")
    document = selectors.document_by_code(reference=reference, code=code_form.cleaned_data["code"])
    if document is None:
        limits.record("reference", reference)
    context["result"] = _found(document) if document else False
    security_event("verification", request=http_request, method="code", reference=reference,
                   outcome="confirmed" if document else "not_found")
    return private_response(render(http_request, "services/documents/verify.html", context))
