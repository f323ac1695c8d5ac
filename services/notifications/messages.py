"""The messages of the request domain: each one a notification in the portal and an e-mail in the outbox.

They are written in the transaction of the change they tell about (the workflow calls them there), one
notification and one queued mail per recipient, so a request is never filed without them and a rolled-back
change leaves none; the worker sends the mails later (services.outbox), retrying while the mail server is away.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal.models import User
from services import permissions
from services.kinds.generic import conciliation_body, is_barrier_report
from services.models import EventAction, Notification, ServiceRequest
from services.statuses import PENDING_DECISION_STATUSES, RequestStatus


def deliver(*, recipient: User, request: ServiceRequest | None = None, template: str, context: dict,
            path: str | None = None) -> int:
    """Render the message in the recipient's language, store it as a notification and queue its e-mail."""
    return deliver_notification(recipient=recipient, request=request, template=template, context=context, path=path)[1]


@transaction.atomic
def deliver_notification(*, recipient: User, request: ServiceRequest | None = None, template: str, context: dict,
                         path: str | None = None) -> tuple[Notification, int]:
    """`deliver`, answering with the notification stored and the number of e-mails queued (for records of delivery)."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        path = path or reverse("services:request_detail", args=[request.reference])
        full_context = {**context, "request": request, "recipient": recipient,
                        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path}
        subject = render_to_string(f"services/email/{template}_subject.txt", full_context).strip()
        body = render_to_string(f"services/email/{template}_body.txt", full_context)
    notification = Notification.objects.create(recipient=recipient, request=request, message=subject[:300], url=path)
    send_mail(subject, body, None, [recipient.email])
    return notification, 1


def notify_applicant(*, request: ServiceRequest, action: str) -> int:
    """Tell the applicant what happened to their request, with the comment given (e.g. the reason for a refusal)."""
    with translation.override(request.applicant.preferred_language or settings.LANGUAGE_CODE):
        label = str(EventAction(action).label)
    event = request.events.filter(action=action).select_related("actor").order_by("-created_at", "-pk").first()
    # The answer to a barrier report names where the reporter may turn next (§16 BGG).
    answered = action in (EventAction.APPROVED, EventAction.REJECTED) and is_barrier_report(request)
    return deliver(recipient=request.applicant, request=request, template="status",
                   context={"applicant": request.applicant, "action": label, "comment": event.comment if event else "",
                            "actor": event.actor if event else None,
                            "conciliation": conciliation_body() if answered else None})


def notify_approvers(*, request: ServiceRequest, user_ids: list[int] | None = None) -> int:
    """Tell everyone who may decide the request now (or the named people) that it waits for them."""
    if request.status not in PENDING_DECISION_STATUSES:
        return 0
    recipients = (User.objects.filter(pk__in=user_ids, is_active=True) if user_ids
                  else permissions.entitled_users(request))
    return sum(deliver(recipient=user, request=request, template="arrival", context={"applicant": request.applicant})
               for user in recipients)


def notify_substitute(*, request: ServiceRequest) -> int:
    """Ask the substitute named in a leave request to confirm that they cover (while the request still waits for them)."""
    if request.status != RequestStatus.AWAITING_SUBSTITUTE:
        return 0
    details = request.details
    substitute = request.kind_entry.substitute_of(details) if request.kind_entry else None
    if substitute is None or not substitute.is_active:
        return 0
    return deliver(recipient=substitute, request=request, template="substitute",
                   context={"applicant": request.applicant, "details": details})
