"""The one place that answers "may this user do that to this request".

Views fetch every request through `get_request_for_user_or_404`, so another person's request is
indistinguishable from one that does not exist (404, never 403).
"""

from django.db.models import QuerySet
from django.http import Http404

from portal.models import User
from services.models import PENDING_DECISION_STATUSES, RequestStatus, ServiceRequest


def requests_visible_to(user: User) -> QuerySet[ServiceRequest]:
    """Every request the user may open: their own."""
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(applicant=user)


def get_request_for_user_or_404(user: User, reference: str) -> ServiceRequest:
    try:
        return requests_visible_to(user).select_related("applicant", "unit").get(reference=reference)
    except ServiceRequest.DoesNotExist:
        raise Http404("No such request.") from None


def user_can_withdraw(user: User, request: ServiceRequest) -> bool:
    return request.applicant_id == user.pk and request.status in (*PENDING_DECISION_STATUSES, RequestStatus.CHANGES_REQUESTED)


def user_can_edit(user: User, request: ServiceRequest) -> bool:
    return request.applicant_id == user.pk and request.status in (RequestStatus.DRAFT, RequestStatus.CHANGES_REQUESTED)


def user_can_discard(user: User, request: ServiceRequest) -> bool:
    return request.applicant_id == user.pk and request.status == RequestStatus.DRAFT
