"""Phishing reports and the cases that group them (registered with the `services` app through services.models)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    EMAIL = "email", _("Suspicious e-mail")
    WEBSITE = "website", _("Fake website")


class Classification(models.TextChoices):
    PHISHING = "phishing", _("Phishing")
    SPAM = "spam", _("Spam")
    HARMLESS = "harmless", _("Harmless")
    SIMULATION = "simulation", _("Phishing simulation (awareness exercise)")


class IndicatorKind(models.TextChoices):
    SENDER = "sender", _("Sender")
    LINK = "link", _("Link")
    SUBJECT = "subject", _("Subject")


class PhishingCase(models.Model):
    """One campaign as IT security sees it: every report that shares a sender, a link or a subject.

    IT security classifies the case once, and every reporter of it hears the outcome; the first
    reporter is credited.
    """

    title = models.CharField(_("title"), max_length=300)
    first_reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("first reported by"),
                                       on_delete=models.SET_NULL, null=True, related_name="+")
    classification = models.CharField(_("classification"), max_length=20, choices=Classification.choices, blank=True)
    classification_note = models.TextField(_("message to the reporters"), blank=True, max_length=2000)
    classified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("classified by"), on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    classified_at = models.DateTimeField(_("classified"), null=True, blank=True)
    created_at = models.DateTimeField(_("first reported"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("phishing case")
        verbose_name_plural = _("phishing cases")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(classification="") | models.Q(classification__in=Classification.values),
                                   name="services_phishing_case_classification_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class PhishingReport(models.Model):
    """What one member of staff reported: the parsed sender, subject and links (never the mail itself) or an address."""

    case = models.ForeignKey(PhishingCase, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE,
                                 related_name="phishing_reports")
    kind = models.CharField(_("what"), max_length=10, choices=ReportKind.choices)
    sender = models.CharField(_("sender"), max_length=1000, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    headers = models.TextField(_("e-mail headers"), blank=True,
                               help_text=_("The header block of an uploaded e-mail, as text. The body and attachments are not kept."))
    file_name = models.CharField(_("uploaded file"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("phishing report")
        verbose_name_plural = _("phishing reports")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} ({self.reporter})"


class PhishingIndicator(models.Model):
    """A normalised sender, link or subject, and the one case it belongs to: the key by which reports are grouped."""

    case = models.ForeignKey(PhishingCase, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    value = models.CharField(_("value"), max_length=1000)

    class Meta:
        verbose_name = _("phishing indicator")
        verbose_name_plural = _("phishing indicators")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="services_phishing_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class PhishingWarning(models.Model):
    """A warning IT security wrote for a case: a guidance page in moderation and the alert that goes up with it.

    The alert is kept here until a moderator publishes the page; then the site-wide alert points to it.
    """

    case = models.ForeignKey(PhishingCase, on_delete=models.CASCADE, related_name="warnings")
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("guidance page"), on_delete=models.SET_NULL, null=True,
                             related_name="+")
    alert_text = models.CharField(_("alert text"), max_length=300)
    alert_text_english = models.CharField(_("alert text in English"), max_length=300, blank=True)
    alert_ends_at = models.DateTimeField(_("show the alert until"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("phishing warning")
        verbose_name_plural = _("phishing warnings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.alert_text
