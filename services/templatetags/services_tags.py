"""Template helpers of the request domain: one line about a request, asked of its kind."""

from django import template
from django.utils.translation import gettext as _

from services.documents.selectors import issued_documents_of
from services.kinds import registry
from services.kinds.generic import barrier_report_due
from services.statuses import RequestStatus

register = template.Library()


@register.filter
def request_summary(request) -> str:
    """The kind's one-line description of the request ("Erholungsurlaub: 12.01.2027 – 16.01.2027")."""
    if request.status == RequestStatus.DRAFT:
        return _("Draft, not yet submitted")
    kind = registry.get(request.kind)
    return kind.summary(kind.details_of(request)) if kind is not None else ""


@register.simple_tag
def decision_documents(request) -> list:
    """The decision documents issued for the request (for its page; the view checked that the reader may see it)."""
    return list(issued_documents_of(request))


@register.filter
def answer_due(request):
    """The date by which a barrier report must be answered (§12b (4) BGG), or None for other requests."""
    return barrier_report_due(request)
