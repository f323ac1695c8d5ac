"""Issuing a decision document: once per final decision, rendered, stored on the private storage, hashed.

`decision_document_issue` is what the background task runs; running it again for the same decision
returns the document already issued and renders nothing. A rendering that fails is recorded on the
document's row (status "failed", the error) and in the log, for the administrators; the request's own
state is never touched here.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from portal.security_log import security_event
from services import questions
from services.documents import rendering
from services.documents.models import DecisionDocument, DocumentOutcome, DocumentStatus, Letterhead, logo_problem
from services.models import EventAction, RequestEvent, ServiceRequest

logger = logging.getLogger("services.documents")

FINAL_DECISIONS = {EventAction.APPROVED: DocumentOutcome.APPROVED, EventAction.REJECTED: DocumentOutcome.REJECTED}
# The decisions a document lists: every step's, with the authority it was taken under.
DECISION_ACTIONS = (EventAction.STEP_APPROVED, EventAction.APPROVED, EventAction.REJECTED, EventAction.CHANGES_REQUESTED,
                    EventAction.FORWARDED)
# No 0/O or 1/I/L: read off paper and typed in again.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def verification_code_new() -> str:
    """A random code of 12 characters (about 59 bits) in groups of four: XXXX-XXXX-XXXX."""
    characters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(characters[i:i + CODE_GROUP_LENGTH] for i in range(0, len(characters), CODE_GROUP_LENGTH))


def verification_code_normalise(code: str) -> str:
    """What a person typed, as stored: upper case, without spaces, grouped by four."""
    characters = "".join(character for character in code.upper() if character.isalnum())
    return "-".join(characters[i:i + CODE_GROUP_LENGTH] for i in range(0, len(characters), CODE_GROUP_LENGTH))


def verification_url(*, reference: str, code: str, language: str) -> str:
    """Where the QR code leads: /verify/ in the document's language, with reference and code filled in."""
    with translation.override(language):
        path = reverse("verify")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path + "?" + urlencode({"reference": reference, "code": code})


def _logo(letterhead: Letterhead, warnings: list[str]) -> str:
    """The logo as a data: URI, or "" with a warning when it is missing or too large (the document goes out without it)."""
    if letterhead.logo is None:
        return ""
    problem = logo_problem(letterhead.logo)
    content = b""
    if not problem:
        try:
            with letterhead.logo.file.open("rb") as logo_file:
                content = logo_file.read(settings.LETTERHEAD_LOGO_MAX_BYTES + 1)
        except (OSError, ValueError):
            problem = "The logo's file cannot be found."
    if not problem and len(content) > settings.LETTERHEAD_LOGO_MAX_BYTES:
        problem = "The logo's file is larger than LETTERHEAD_LOGO_MAX_BYTES."
    if problem:
        warnings.append(f"logo left out: {problem}")
        logger.warning("Decision document: the letterhead's logo was left out (%s)", problem)
        return ""
    name = letterhead.logo.file.name.lower()
    content_type = "image/svg+xml" if name.endswith(".svg") else "image/jpeg" if name.endswith((".jpg", ".jpeg")) else "image/png"
    return rendering.image_data_uri(content, content_type)


def decision_context(*, request: ServiceRequest, event: RequestEvent, code: str, language: str,
                     warnings: list[str]) -> dict:
    """Everything templates/pdf/decision.html shows, in the applicant's language."""
    kind = request.kind_entry
    letterhead = Letterhead.load()
    steps = kind.steps_for(request) if kind is not None else ()
    decisions = []
    for decision in request.events.filter(action__in=DECISION_ACTIONS).select_related(
            "actor", "on_behalf_of", "delegation").order_by("created_at", "pk"):
        step_label = steps[decision.step - 1].label if 1 <= decision.step <= len(steps) else ""
        decisions.append({"event": decision, "step_label": step_label})
    answers = questions.answer_display(request, request.attachments.all())
    url = verification_url(reference=request.reference, code=code, language=language)
    with translation.override(language):
        kind_label = request.kind_label
        outcome_label = str(FINAL_DECISIONS[event.action].label)
    return {
        "letterhead": letterhead, "logo": _logo(letterhead, warnings),
        "service_request": request, "kind": kind, "kind_label": kind_label, "details": request.details,
        "extra_answers": answers.rows, "decisions": decisions, "final": event, "outcome": FINAL_DECISIONS[event.action],
        "outcome_label": outcome_label, "decided_at": timezone.localtime(event.created_at),
        "verification_code": code, "verification_url": url, "qr_code": rendering.qr_code_data_uri(url),
        "title": f"{kind_label} – {request.reference}",
    }


def _document_for(event: RequestEvent) -> DecisionDocument:
    """The event's document row, locked; created (not yet rendered) on the first call."""
    request = event.request
    defaults = {"outcome": FINAL_DECISIONS[event.action], "kind": request.kind, "decided_at": event.created_at,
                "language": request.applicant.preferred_language or settings.LANGUAGE_CODE,
                "verification_code": verification_code_new()}
    try:
        with transaction.atomic():
            return DecisionDocument.objects.select_for_update().get_or_create(event=event, request=request, defaults=defaults)[0]
    except IntegrityError:
        return DecisionDocument.objects.select_for_update().get(event=event)


@transaction.atomic
def decision_document_issue(*, event_id: int) -> DecisionDocument | None:
    """Render and store the document of this final decision, unless it was issued already (then return it as it is)."""
    event = RequestEvent.objects.select_related("request__applicant").filter(pk=event_id).first()
    if event is None or event.action not in FINAL_DECISIONS:
        return None
    document = _document_for(event)
    if document.status == DocumentStatus.ISSUED:
        return document
    document.attempts += 1
    warnings: list[str] = []
    try:
        context = decision_context(request=event.request, event=event, code=document.verification_code,
                                   language=document.language, warnings=warnings)
        rendered = rendering.render_decision_pdf(context, language=document.language)
    except Exception as error:  # noqa: BLE001 - whatever breaks the rendering is recorded for the administrators
        document.error = f"{type(error).__name__}: {error}"[:2000]
        document.warnings = "\n".join(warnings)
        document.save()
        logger.exception("Decision document for %s (event %s) could not be rendered", event.request.reference, event.pk)
        return document
    document.file.save(f"{event.request.reference}-{event.pk}.pdf", ContentFile(rendered.content), save=False)
    document.sha256 = hashlib.sha256(rendered.content).hexdigest()
    document.size = len(rendered.content)
    document.warnings = "\n".join(warnings + rendered.warnings)
    document.error = ""
    document.status = DocumentStatus.ISSUED
    document.issued_at = timezone.now()
    document.save()
    line = {"reference": event.request.reference, "document": document.pk, "outcome": document.outcome,
            "sha256": document.sha256}
    transaction.on_commit(lambda: security_event("document_issued", user=None, **line))
    return document
