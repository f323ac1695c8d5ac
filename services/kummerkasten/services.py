"""The Kummerkasten's writes: a message, a reply, an answer, closing.

The writer's side records nothing that names the writer: no user, session, address, browser, no time
finer than the day and no log line. The account is needed only to count against the daily limit
(services.kummerkasten.limits), and that count refers to no message. The handlers' acts are logged as
security events under the handler's name.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.security_log import security_event
from services.kummerkasten import limits, receipts
from services.kummerkasten.attachments import attachment_clean
from services.kummerkasten.models import KummerkastenMessage, KummerkastenPost, KummerkastenTopic, MessageStatus, PostAuthor


class KummerkastenError(Exception):
    """A write that was refused; the message says why, for the person."""


class DailyLimitReached(KummerkastenError):
    pass


class CodeAttemptsExhausted(KummerkastenError):
    pass


def _next_number(message: KummerkastenMessage) -> int:
    return (message.posts.aggregate(last=Max("number"))["last"] or 0) + 1


def _daily_limit(writer_id: int) -> None:
    if not limits.daily_post_allowed(user_id=writer_id):
        raise DailyLimitReached(_("You have sent as many messages and replies today as the Kummerkasten takes from one person."
                                  " Please write again tomorrow."))


def kummerkasten_message_create(*, writer_id: int, topic: KummerkastenTopic, text: str,
                                attachment: UploadedFile | None = None) -> tuple[KummerkastenMessage, str]:
    """Store an anonymous message and return it with its receipt code, which exists nowhere else afterwards.

    `writer_id` only counts against the daily limit; it is not stored.
    """
    if not topic.active:
        raise ValidationError(_("This topic is no longer offered."))
    content, content_type = attachment_clean(attachment) if attachment is not None else (None, "")
    _daily_limit(writer_id)
    today = timezone.localdate()
    for _attempt in range(5):
        code = receipts.receipt_code_generate()
        try:
            with transaction.atomic():
                message = KummerkastenMessage.objects.create(topic=topic, received_on=today, receipt_hash=receipts.receipt_hash(code))
                KummerkastenPost.objects.create(message=message, number=1, author=PostAuthor.WRITER, text=text, written_on=today,
                                                attachment=content, attachment_type=content_type)
            return message, code
        except IntegrityError:  # the same code twice: about 2^-98, but then simply another one
            continue
    raise KummerkastenError(_("The message could not be stored. Please try again."))


def kummerkasten_message_find(*, user_id: int, code: str) -> KummerkastenMessage | None:
    """The message of a receipt code, or None; wrong codes count against the account's hourly attempts."""
    if limits.code_attempts_exhausted(user_id=user_id):
        raise CodeAttemptsExhausted(_("Too many codes were wrong. Please wait an hour and try again."))
    digest = receipts.receipt_hash(code)
    message = KummerkastenMessage.objects.select_related("topic").filter(receipt_hash=digest).first() if digest else None
    if message is None:
        limits.code_attempt_failed(user_id=user_id)
    return message


@transaction.atomic
def kummerkasten_reply_create(*, writer_id: int, message: KummerkastenMessage, text: str) -> KummerkastenPost:
    """The writer's reply (found by the receipt code); it reaches the handlers with the next day's batch."""
    message = KummerkastenMessage.objects.select_for_update().get(pk=message.pk)
    if message.status == MessageStatus.CLOSED:
        raise KummerkastenError(_("This message has been closed; please write a new one."))
    _daily_limit(writer_id)
    post = KummerkastenPost.objects.create(message=message, number=_next_number(message), author=PostAuthor.WRITER, text=text,
                                           written_on=timezone.localdate())
    if message.status != MessageStatus.OPEN:
        message.status = MessageStatus.OPEN
        message.save(update_fields=["status"])
    return post


@transaction.atomic
def kummerkasten_answer_create(*, message: KummerkastenMessage, handler: User, text: str) -> KummerkastenPost:
    """The handlers' answer, signed by the team rather than by the person; logged under the handler's name."""
    message = KummerkastenMessage.objects.select_for_update().get(pk=message.pk)
    if message.status == MessageStatus.CLOSED:
        raise KummerkastenError(_("This message has been closed."))
    post = KummerkastenPost.objects.create(message=message, number=_next_number(message), author=PostAuthor.HANDLER, text=text,
                                           written_on=timezone.localdate())
    message.status = MessageStatus.ANSWERED
    message.save(update_fields=["status"])
    security_event("kummerkasten_answered", user=handler, message=str(message.pk))
    return post


@transaction.atomic
def kummerkasten_message_close(*, message: KummerkastenMessage, handler: User) -> KummerkastenMessage:
    message = KummerkastenMessage.objects.select_for_update().get(pk=message.pk)
    if message.status == MessageStatus.CLOSED:
        raise KummerkastenError(_("This message has already been closed."))
    message.status = MessageStatus.CLOSED
    message.closed_on = timezone.localdate()
    message.save(update_fields=["status", "closed_on"])
    security_event("kummerkasten_closed", user=handler, message=str(message.pk))
    return message

