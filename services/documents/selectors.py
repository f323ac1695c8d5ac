"""Reads of decision documents: what a person may download, and what /verify/ may confirm."""

import hashlib
from collections.abc import Iterable

from django.db.models import QuerySet

from services.documents.models import DecisionDocument, DocumentStatus
from services.models import ServiceRequest


def issued_documents_of(request: ServiceRequest) -> QuerySet[DecisionDocument]:
    return DecisionDocument.objects.filter(request=request, status=DocumentStatus.ISSUED).order_by("decided_at", "pk")


def document_by_code(*, reference: str, code: str) -> DecisionDocument | None:
    """The issued document with this reference and verification code, or None (whichever of the two is wrong)."""
    if not reference or not code:
        return None
    return DecisionDocument.objects.filter(status=DocumentStatus.ISSUED, request__reference=reference,
                                           verification_code=code).select_related("request").first()


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def document_by_sha256(sha256: str) -> DecisionDocument | None:
    """The issued document whose bytes hash to this, or None: anything changed, even by one byte, is not found."""
    return DecisionDocument.objects.filter(status=DocumentStatus.ISSUED, sha256=sha256).select_related("request").first()
