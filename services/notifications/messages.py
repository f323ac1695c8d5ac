"""The messages of the request domain: each one a notification in the portal and an e-mail in the outbox.

They are written in the transaction of the change they tell about (the workflow calls them there), one
notification and one queued mail per recipient, so a request is never filed without them and a rolled-back
change leaves none; the worker sends the mails later (services.outbox), retrying while the mail server is away.
"""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
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


# What every subject begins with ("[Kurzer Dienstweg] "): the mail needs it in a crowded inbox, the portal's own list not.
SUBJECT_TAG = re.compile(r"^\[[^\]]*\]\s*")


def recipient_language(recipient: User) -> str:
    """The language a person is written to in: their own choice, else the portal's default (German)."""
    return recipient.preferred_language or settings.LANGUAGE_CODE


def notification_title(subject: str) -> str:
    """The notification's title in the portal: the mail's subject without its tag."""
    return SUBJECT_TAG.sub("", subject, count=1)[:300]


@transaction.atomic
def deliver_notification(*, recipient: User, request: ServiceRequest | None = None, template: str, context: dict,
                         path: str | None = None) -> tuple[Notification, int]:
    """`deliver`, answering with the notification stored and the number of e-mails queued (for records of delivery).

    The link leads to the page in the recipient's language (`/en/…` for English) on the portal's base URL: a
    `path` built by the caller in another language is translated first.
    """
    language = recipient_language(recipient)
    if path:
        path = translate_url(path, language)
    with translation.override(language):
        path = path or reverse("services:request_detail", args=[request.reference])
        full_context = {**context, "request": request, "recipient": recipient,
                        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path}
        subject = render_to_string(f"services/email/{template}_subject.txt", full_context).strip()
        body = render_to_string(f"services/email/{template}_body.txt", full_context)
    notification = Notification.objects.create(recipient=recipient, request=request, message=notification_title(subject),
                                               url=path)
    send_mail(subject, body, None, [recipient.email])
    return notification, 1


# What someone decided, or declined to do, with a reason the applicant should read as such.
DECISIONS = frozenset({EventAction.APPROVED, EventAction.STEP_APPROVED, EventAction.REJECTED, EventAction.CHANGES_REQUESTED,
                       EventAction.CANCELLED, EventAction.SHORTENED, EventAction.CANCELLATION_REFUSED})
# What applicants do themselves: they see it confirmed on the page, so no message tells them again.
APPLICANTS_OWN_ACTIONS = frozenset({EventAction.SUBMITTED, EventAction.RESUBMITTED, EventAction.WITHDRAWN,
                                    EventAction.CANCELLATION_REQUESTED, EventAction.CANCELLATION_WITHDRAWN})
REASONED = frozenset({EventAction.REJECTED, EventAction.CHANGES_REQUESTED, EventAction.CANCELLATION_REFUSED,
                      EventAction.SUBSTITUTE_DECLINED})


def notify_applicant(*, request: ServiceRequest, action: str) -> int:
    """Tell the applicant what happened to their request: who did it (on whose behalf) and the reason given.

    Nothing for what the applicant did themselves (filing, resubmitting): the page they are on confirms it.
    """
    event = request.events.filter(action=action).select_related("actor", "on_behalf_of").order_by("-created_at", "-pk").first()
    if action in APPLICANTS_OWN_ACTIONS and (event is None or event.actor_id == request.applicant_id):
        return 0
    with translation.override(recipient_language(request.applicant)):
        label = str(EventAction(action).label)
    # The answer to a barrier report names where the reporter may turn next (§16 BGG).
    answered = action in (EventAction.APPROVED, EventAction.REJECTED) and is_barrier_report(request)
    return deliver(recipient=request.applicant, request=request, template="status",
                   context={"applicant": request.applicant, "action": label, "comment": event.comment if event else "",
                            "actor": event.actor if event else None,
                            "on_behalf_of": event.on_behalf_of if event else None,
                            "decided": action in DECISIONS, "reasoned": action in REASONED,
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
