"""Read queries of the request domain; each returns a queryset with a fixed number of SQL queries."""

from django.db.models import QuerySet

from portal.models import User
from services.models import OPEN_STATUSES, RequestStatus, ServiceRequest
from services.permissions import requests_visible_to


def requests_of_applicant(user: User, *, status: str | None = None) -> QuerySet[ServiceRequest]:
    queryset = requests_visible_to(user).filter(applicant=user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related(*DETAIL_RELATIONS).order_by("-created_at", "-pk")


def open_requests_of_applicant(user: User) -> QuerySet[ServiceRequest]:
    return requests_of_applicant(user).filter(status__in=[*OPEN_STATUSES, RequestStatus.DRAFT])


def request_timeline(request: ServiceRequest):
    return request.events.select_related("actor", "on_behalf_of").order_by("created_at", "pk")


# The typed detail rows hang off the request one-to-one; joining them keeps a list at one query.
DETAIL_RELATIONS = ("leave", "remote_work", "vpn_access", "equipment_loan")
