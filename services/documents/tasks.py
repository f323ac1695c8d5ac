"""The background work of decision documents, run through the Django Tasks API (django-tasks)."""

from django_tasks import task

from services.documents.services import decision_document_issue


@task()
def issue_decision_document(*, event_id: int) -> str:
    """Issue the document of one final decision; a second run finds it issued and renders nothing."""
    document = decision_document_issue(event_id=event_id)
    return document.status if document is not None else "none"
