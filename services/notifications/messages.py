"""The messages of the request domain: each one a notification in the portal and an e-mail in the outbox.

A change of a request (filed, decided, forwarded, …) only *enqueues* its messages: all messages of one change
go into one background task (`deliver_request_messages`), enqueued in the transaction of the change
(`messages_of_one_change` around the workflow's function). With the database task backend of production the
task is one row written in that transaction, so a change is never committed without its messages and a
rolled-back change leaves none; the worker then renders each message in its recipient's language, stores one
notification and queues one mail per recipient in a transaction of its own, and the outbox sends the mails
(services.outbox), retrying while the mail server is away. A failed delivery is a failed task (logged), never
a lost request. With the immediate backend (development, tests) the task runs at once, inside the change's
transaction, as before.
"""

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation
from django_tasks import task

from portal.models import User
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


# --- Enqueuing: what the workflow calls, in the transaction of the change ------------------------------------

_pending: ContextVar[list[dict] | None] = ContextVar("request_messages_pending", default=None)


@contextlib.contextmanager
def messages_of_one_change() -> Iterator[None]:
    """Collect the messages a change sends and enqueue them as one task when it succeeds (one row with the database
    backend). Used as a decorator inside `transaction.atomic`, so the task is written in the change's transaction; a
    change that fails enqueues nothing. A change inside another one joins the outer batch."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set([])
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    if pending:
        deliver_request_messages.enqueue(messages=pending)


def _enqueue(message: dict) -> None:
    pending = _pending.get()
    if pending is not None:
        pending.append(message)
    else:
        deliver_request_messages.enqueue(messages=[message])


def notify_applicant(*, request: ServiceRequest, action: str) -> None:
    """Tell the applicant what happened to their request, with the comment given (e.g. the reason for a refusal)."""
    _enqueue({"to": "applicant", "request": request.pk, "action": str(action)})


def notify_approvers(*, request: ServiceRequest, user_ids: list[int]) -> None:
    """Tell the people named (everyone who may decide the request now, as the change found them) that it waits."""
    _enqueue({"to": "approvers", "request": request.pk, "user_ids": list(user_ids)})


def notify_substitute(*, request: ServiceRequest) -> None:
    """Ask the substitute named in a leave request to confirm that they cover."""
    _enqueue({"to": "substitute", "request": request.pk})


# --- Delivering: the task's side ------------------------------------------------------------------------------

@task()
def deliver_request_messages(*, messages: list[dict]) -> int:
    """Render and store the messages of one change (notification and queued mail per recipient), all or none;
    answers with the number of mails queued."""
    with transaction.atomic():
        requests = ServiceRequest.objects.select_related("applicant").in_bulk({message["request"] for message in messages})
        sent = 0
        for message in messages:
            request = requests.get(message["request"])
            if request is None:
                continue
            if message["to"] == "applicant":
                sent += applicant_message_deliver(request=request, action=message["action"])
            elif message["to"] == "approvers":
                sent += approvers_message_deliver(request=request, user_ids=message["user_ids"])
            elif message["to"] == "substitute":
                sent += substitute_message_deliver(request=request)
        return sent


def applicant_message_deliver(*, request: ServiceRequest, action: str) -> int:
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


def approvers_message_deliver(*, request: ServiceRequest, user_ids: list[int]) -> int:
    """Tell the people named that the request waits for them (while it still waits for a decision)."""
    if request.status not in PENDING_DECISION_STATUSES or not user_ids:
        return 0
    recipients = User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
    return sum(deliver(recipient=user, request=request, template="arrival", context={"applicant": request.applicant})
               for user in recipients)


def substitute_message_deliver(*, request: ServiceRequest) -> int:
    """Ask the substitute named in a leave request to confirm that they cover (while the request still waits for them)."""
    if request.status != RequestStatus.AWAITING_SUBSTITUTE:
        return 0
    details = request.details
    substitute = request.kind_entry.substitute_of(details) if request.kind_entry else None
    if substitute is None or not substitute.is_active:
        return 0
    return deliver(recipient=substitute, request=request, template="substitute",
                   context={"applicant": request.applicant, "details": details})
