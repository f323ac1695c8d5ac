"""The record of reminders sent; registered with the `services` app through services/models.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderReason(models.TextChoices):
    REMINDER = "reminder", _("Reminder: waiting longer than the limit")
    ESCALATION = "escalation", _("Escalation to the responsibility holder")
    BARRIER_REPORT_14_DAYS = "barrier_14", _("Barrier report waiting 14 days")
    BARRIER_REPORT_28_DAYS = "barrier_28", _("Barrier report waiting 28 days")


class ReminderSent(models.Model):
    """One reminder to one person about one request's wait at one step.

    A request's wait starts when it reaches its current step (`waiting_since`); each reason goes to each
    person once per wait, which the unique constraint enforces even when two runs overlap. A resubmitted
    request, or one that moved on to its next step, waits anew.
    """

    request = models.ForeignKey("services.ServiceRequest", on_delete=models.CASCADE, related_name="reminders_sent")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=ReminderReason.choices)
    step = models.PositiveSmallIntegerField(_("step"))
    waiting_since = models.DateTimeField(_("waiting since"))
    days_waited = models.PositiveSmallIntegerField(_("days waited"), help_text=_(
        "Full working days for reminders and escalations, calendar days for barrier reports."))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "recipient", "reason", "waiting_since"],
                                    name="reminder_once_per_wait"),
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.reason} → {self.recipient}"
