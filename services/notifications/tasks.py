"""Notifications of the request domain, sent as background work, run through the Django Tasks API (django-tasks).

Every message goes out by email in the recipient's language and appears in their list of
notifications in the portal.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from portal.models import User
from services import permissions
from services.kinds.generic import conciliation_body, is_barrier_report
from services.models import EventAction, Notification, ServiceRequest
from services.statuses import PENDING_DECISION_STATUSES, RequestStatus


def deliver(*, recipient, request=None, template: str, context: dict, path: str | None = None) -> int:
    """Render the message in the recipient's language, store it as a notification and email it."""
    return deliver_notification(recipient=recipient, request=request, template=template, context=context, path=path)[1]


def deliver_notification(*, recipient, request=None, template: str, context: dict,
                         path: str | None = None) -> tuple[Notification, int]:
    """`deliver`, answering with the notification stored and the number of e-mails sent (for records of delivery)."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        path = path or reverse("services:request_detail", args=[request.reference])
        full_context = {**context, "request": request, "recipient": recipient,
                        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path}
        subject = render_to_string(f"services/email/{template}_subject.txt", full_context).strip()
        body = render_to_string(f"services/email/{template}_body.txt", full_context)
    notification = Notification.objects.create(recipient=recipient, request=request, message=subject[:300], url=path)
    return notification, send_mail(subject, body, None, [recipient.email])


@task()
def notify_applicant(*, request_id: int, action: str) -> int:
    """Tell the applicant what happened to their request, with the comment given (e.g. the reason for a refusal)."""
    request = ServiceRequest.objects.select_related("applicant").filter(pk=request_id).first()
    if request is None:
        return 0
    with translation.override(request.applicant.preferred_language or settings.LANGUAGE_CODE):
        label = str(EventAction(action).label)
    event = request.events.filter(action=action).select_related("actor").order_by("-created_at", "-pk").first()
    # The answer to a barrier report names where the reporter may turn next (§16 BGG).
    answered = action in (EventAction.APPROVED, EventAction.REJECTED) and is_barrier_report(request)
    return deliver(recipient=request.applicant, request=request, template="status",
                    context={"applicant": request.applicant, "action": label, "comment": event.comment if event else "",
                             "actor": event.actor if event else None,
                             "conciliation": conciliation_body() if answered else None})


@task()
def notify_approvers(*, request_id: int, user_ids: list[int] | None = None) -> int:
    """Tell everyone who may decide the request now (or the named people) that it waits for them."""
    request = ServiceRequest.objects.select_related("applicant", "unit").filter(pk=request_id).first()
    if request is None or request.status not in PENDING_DECISION_STATUSES:
        return 0
    recipients = (User.objects.filter(pk__in=user_ids, is_active=True) if user_ids
                  else permissions.entitled_users(request))
    return sum(deliver(recipient=user, request=request, template="arrival", context={"applicant": request.applicant})
               for user in recipients)


@task()
def notify_substitute(*, request_id: int) -> int:
    """Ask the substitute named in a leave request to confirm that they cover (while the request still waits for them)."""
    request = ServiceRequest.objects.select_related("applicant").filter(pk=request_id).first()
    if request is None or request.status != RequestStatus.AWAITING_SUBSTITUTE:
        return 0
    details = request.details
    substitute = request.kind_entry.substitute_of(details) if request.kind_entry else None
    if substitute is None or not substitute.is_active:
        return 0
    return deliver(recipient=substitute, request=request, template="substitute",
                    context={"applicant": request.applicant, "details": details})
