"""After a final decision commits, its document is issued in the background."""

from django.db import transaction
from django.db.models.signals import post_save

from services.documents.services import FINAL_DECISIONS
from services.documents.tasks import issue_decision_document
from services.models import RequestEvent


def _event_recorded(sender, instance: RequestEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.action in FINAL_DECISIONS:
        event_id = instance.pk
        transaction.on_commit(lambda: issue_decision_document.enqueue(event_id=event_id))


def connect() -> None:
    """Every final decision (approve or reject of the last step, by any way into services.workflow) issues a document."""
    post_save.connect(_event_recorded, sender=RequestEvent, dispatch_uid="services.documents")
