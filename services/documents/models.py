"""The letterhead editors set for decision documents, and the documents issued.

A DecisionDocument is written once per final decision event: its file and SHA-256 never change after
it was issued, so that anyone holding the PDF can have it checked byte for byte at /verify/.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField


def private_storage():
    return storages["private"]


@register_setting(icon="doc-full")
class Letterhead(BaseGenericSetting):
    """The city's name, address and logo at the head of every decision document, and the text at its foot.

    Editors change it in the Wagtail admin; a document already issued keeps the letterhead it was issued with.
    """

    name = models.CharField(_("name of the authority"), max_length=200, default="Stadt Musterstadt")
    address = models.TextField(_("address"), blank=True, default="Rathausplatz 1\n12345 Musterstadt")
    logo = models.ForeignKey("wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             help_text=_("PNG, JPEG or SVG; at most the size and pixels the portal allows (see README)."))
    logo_alternative_text = models.CharField(_("text alternative of the logo"), max_length=200, blank=True,
                                             help_text=_("Read out instead of the logo; empty: the name of the authority."))
    footer = RichTextField(_("text at the foot"), blank=True, features=["bold", "italic", "link"],
                           help_text=_("E.g. the legal remedies notice. Images and addresses outside the portal are never loaded."))

    panels = [FieldPanel("name"), FieldPanel("address"), FieldPanel("logo"), FieldPanel("logo_alternative_text"),
              FieldPanel("footer")]

    class Meta:
        verbose_name = _("letterhead of decision documents")

    def clean(self) -> None:
        super().clean()
        if self.logo_id is not None:
            problem = logo_problem(self.logo)
            if problem:
                raise ValidationError({"logo": problem})


def logo_problem(image) -> str:
    """Why this image cannot head a decision document (a sentence for the editor), or "" when it can."""
    limit = settings.LETTERHEAD_LOGO_MAX_BYTES
    pixels = settings.LETTERHEAD_LOGO_MAX_PIXELS
    size = image.file_size or 0
    if not size:
        try:
            size = image.file.size
        except (OSError, ValueError):
            return str(_("The logo's file cannot be found."))
    if size > limit:
        return str(_("The logo is %(size)d KB; at most %(limit)d KB are allowed.") % {"size": size // 1024, "limit": limit // 1024})
    if (image.width or 0) > pixels or (image.height or 0) > pixels:
        return str(_("The logo is %(width)d × %(height)d pixels; at most %(limit)d pixels on each side are allowed.") % {
            "width": image.width, "height": image.height, "limit": pixels})
    return ""


class DocumentStatus(models.TextChoices):
    ISSUED = "issued", _("issued")
    FAILED = "failed", _("rendering failed")


class DocumentOutcome(models.TextChoices):
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class DocumentAlreadyIssued(Exception):
    """Raised when code tries to change or delete an issued decision document."""


def document_path(instance: "DecisionDocument", filename: str) -> str:
    return f"decisions/{timezone.localtime(instance.decided_at):%Y/%m}/{filename}"


class DecisionDocument(models.Model):
    """The decision document (Bescheid) one final decision issued: once, with its SHA-256, never changed.

    A row in FAILED state records why rendering failed, for the administrators; running the task again
    retries it. A cancellation or shortening of leave is a request of its own and gets its own document.
    """

    request = models.ForeignKey("services.ServiceRequest", verbose_name=_("request"), on_delete=models.CASCADE,
                                related_name="decision_documents")
    event = models.OneToOneField("services.RequestEvent", verbose_name=_("decision"), on_delete=models.CASCADE,
                                 related_name="decision_document")
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.FAILED)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DocumentOutcome.choices)
    kind = models.CharField(_("kind"), max_length=40)
    decided_at = models.DateTimeField(_("decided"))
    language = models.CharField(_("language"), max_length=8)
    verification_code = models.CharField(_("verification code"), max_length=20, unique=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=document_path, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    warnings = models.TextField(_("warnings"), blank=True,
                                help_text=_("What was left out while rendering (e.g. a missing logo or a refused address)."))
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision document")
        verbose_name_plural = _("decision documents")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status="failed") | ~models.Q(sha256=""),
                                   name="services_decisiondocument_issued_has_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.request} ({self.get_outcome_display()})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and DecisionDocument.objects.filter(pk=self.pk, status=DocumentStatus.ISSUED).exists():
            raise DocumentAlreadyIssued("An issued decision document is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == DocumentStatus.ISSUED:
            raise DocumentAlreadyIssued("An issued decision document is deleted only with its request.")
        return super().delete(*args, **kwargs)
