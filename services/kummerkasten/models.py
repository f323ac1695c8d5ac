"""The Kummerkasten's tables: topics editors keep, and messages with their conversation.

On purpose there is no foreign key to a user, no session, no address or browser, no timestamp finer
than the day, and no sequential key (a UUID, so that the order of arrival cannot be read from the ids).
The one handler-side key is the topic's unit, which decides who answers.
"""

import uuid

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class KummerkastenTopic(models.Model):
    """A subject staff can write about; editors keep the list (a Wagtail snippet).

    A topic names the unit whose Kummerkasten handlers answer it; without one, the handlers of the
    city's root unit do.
    """

    name = models.CharField(_("name"), max_length=120)
    name_english = models.CharField(_("name in English"), max_length=120, blank=True,
                                    help_text=_("Shown on the English pages; the German name when left empty."))
    unit = models.ForeignKey(
        "portal.OrgUnit", verbose_name=_("answered by the handlers of"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Empty: the handlers of the whole city administration (its root unit)."),
    )
    active = models.BooleanField(_("offered"), default=True, help_text=_("Only offered topics can be chosen for new messages."))
    sort_order = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("Kummerkasten topic")
        verbose_name_plural = _("Kummerkasten topics")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        if translation.get_language() == "en" and self.name_english:
            return self.name_english
        return self.name


class MessageStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class KummerkastenMessage(models.Model):
    """One anonymous message: a topic, a status, the day it arrived and the hash of its receipt code.

    Its texts (the first one included) are its posts. Handlers see it from the day after `received_on`:
    every message of a day appears at once, so the order of arrival tells nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.ForeignKey(KummerkastenTopic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="messages")
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.OPEN)
    received_on = models.DateField(_("received on"))
    receipt_hash = models.CharField(_("hash of the receipt code"), max_length=64, unique=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True,
                                 help_text=_("The day a handler closed the message; retention counts from it."))

    class Meta:
        verbose_name = _("Kummerkasten message")
        verbose_name_plural = _("Kummerkasten messages")
        ordering = ["-received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=MessageStatus.values), name="services_kummerkasten_status_valid"),
            models.CheckConstraint(condition=models.Q(status=MessageStatus.CLOSED) | models.Q(closed_on__isnull=True),
                                   name="services_kummerkasten_closed_on_only_when_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.received_on:%Y-%m-%d})"


class PostAuthor(models.TextChoices):
    WRITER = "writer", _("Writer")
    HANDLER = "handler", _("Kummerkasten team")


class KummerkastenPost(models.Model):
    """One text of a message's conversation: the writer's (anonymous) or the handlers' (as a team).

    Posts are ordered by `number` within their message; the writer's are dated to the day and reach the
    handlers with the next day's batch. An attachment is kept in the row itself, already stripped of its
    metadata, so that no file on disk records when it arrived.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(KummerkastenMessage, verbose_name=_("message"), on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveSmallIntegerField(_("number"))
    author = models.CharField(_("written by"), max_length=10, choices=PostAuthor.choices)
    text = models.TextField(_("text"))
    written_on = models.DateField(_("written on"))
    attachment = models.BinaryField(_("attachment"), null=True, blank=True, editable=False)
    attachment_type = models.CharField(_("attachment type"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("Kummerkasten post")
        verbose_name_plural = _("Kummerkasten posts")
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="services_kummerkasten_post_number_unique"),
            models.CheckConstraint(condition=models.Q(author__in=PostAuthor.values), name="services_kummerkasten_post_author_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number}"

    @property
    def attachment_extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(self.attachment_type, "bin")
