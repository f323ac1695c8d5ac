"""The request domain: one ServiceRequest row per request, a typed detail row per kind, events, attachments.

The typed detail models live with their kind in `services/kinds/`; they are imported at the end of
this module so that Django registers them with the `services` app.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from services.kinds.base import registry
from services.statuses import FINAL_STATUSES, OPEN_STATUSES, PENDING_DECISION_STATUSES, UNDECIDED_STATUSES, RequestStatus

# Kept importable from here: the statuses are part of the request's model.
__all__ = ["FINAL_STATUSES", "OPEN_STATUSES", "PENDING_DECISION_STATUSES", "UNDECIDED_STATUSES", "RequestStatus"]


class ServiceRequest(models.Model):
    """One request of one member of staff, of one kind, through its whole lifecycle.

    The common columns (who, what kind, which state, which step) live here so that lists and queues
    are one query over one table; each kind's typed fields live in its detail model, one-to-one.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="service_requests"
    )
    unit = models.ForeignKey(
        "portal.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    current_step = models.PositiveSmallIntegerField(_("current step"), default=0)
    step_permission = models.CharField(
        _("permission deciding the current step"), max_length=64, blank=True, db_index=True,
        help_text=_("Codename of the responsibility (on the applicant's unit or above) that decides the current step."),
    )
    unassigned = models.BooleanField(
        _("nobody entitled"), default=False, help_text=_("Nobody held the current step's responsibility at routing time."),
    )
    service_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("service page"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    draft_data = models.JSONField(_("draft data"), default=dict, blank=True)
    extra_answers = models.JSONField(
        _("answers to extra questions"), default=dict, blank=True,
        help_text=_("The service page's extra questions as they were asked, each with its checked answer (services.questions)."),
    )
    step_plan = models.JSONField(
        _("approval steps fixed at submission"), default=list, blank=True,
        help_text=_("Responsibility codenames deciding each step, for kinds whose service page chooses them (the generic kind);"
                    " empty means the kind's own steps."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at"]
        permissions = [("decide_forwarded", _("Decide this forwarded request"))]
        indexes = [
            models.Index(fields=["applicant", "status"], name="services_req_applicant_status"),
            models.Index(fields=["status", "submitted_at"], name="services_req_status_submitted"),
            # The queue: only the requests waiting for a decision (a small share of a city's million), in queue
            # order, so a page is read from the index in order and stops after 25 instead of sorting them all.
            models.Index(fields=["submitted_at", "id"], name="services_req_pending_queue",
                         condition=models.Q(status__in=PENDING_DECISION_STATUSES)),
            # ... and per unit, for a subtree's queue and for counting it. The step's permission and the applicant
            # are in the index too, so that the queue's filters are answered from the index alone: a department's
            # 15,000 open cases are read from 14,000 index entries instead of 9,500 table pages (37 ms -> 5 ms).
            models.Index(fields=["unit", "submitted_at", "id", "step_permission", "applicant"],
                         name="services_req_pending_unit2", condition=models.Q(status__in=PENDING_DECISION_STATUSES)),
            # A person's own requests, newest first ("my requests", the dashboard).
            models.Index(fields=["applicant", "-created_at", "-id"], name="services_req_applicant_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=RequestStatus.values), name="services_request_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=RequestStatus.DRAFT) | models.Q(submitted_at__isnull=False),
                name="services_request_submitted_has_timestamp",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def kind_entry(self):
        return registry.get(self.kind)

    @property
    def kind_label(self) -> str:
        """What the request's kind is called for people, in the active language (e.g. the service's name)."""
        entry = self.kind_entry
        return entry.label_for(self) if entry else self.kind

    @property
    def details(self):
        """The kind's typed detail row, or None for a draft that was never submitted."""
        entry = self.kind_entry
        return entry.model.objects.filter(request=self).first() if entry else None


class EventAction(models.TextChoices):
    DRAFT_SAVED = "draft_saved", _("Draft saved")
    SUBMITTED = "submitted", _("Submitted")
    RESUBMITTED = "resubmitted", _("Resubmitted after changes")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    STEP_APPROVED = "step_approved", _("Step approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FORWARDED = "forwarded", _("Forwarded")
    UNASSIGNED = "unassigned", _("Nobody entitled; passed to the administrators")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    # On an approved leave request, what became of a request to cancel it (see services.kinds.leave_cancellation).
    CANCELLATION_REQUESTED = "cancellation_requested", _("Cancellation requested")
    CANCELLED = "cancelled", _("Cancelled")
    SHORTENED = "shortened", _("Shortened")
    CANCELLATION_REFUSED = "cancellation_refused", _("Cancellation refused; the leave stands")
    CANCELLATION_WITHDRAWN = "cancellation_withdrawn", _("Cancellation withdrawn; the leave stands")
    # The named substitute of a leave request is asked to confirm before the approvers see it.
    SUBSTITUTE_ASKED = "substitute_asked", _("Substitute asked to confirm")
    SUBSTITUTE_CONFIRMED = "substitute_confirmed", _("Substitute confirmed")
    SUBSTITUTE_DECLINED = "substitute_declined", _("Substitute declined")


class AuthorityKind(models.TextChoices):
    """Under which authority a decision or forward was taken (services.permissions.Authority)."""

    OWN = "own", _("own responsibility")
    DELEGATION = "delegation", _("delegation")
    SUBSTITUTE = "substitute", _("as out-of-office substitute")
    FORWARD = "forward", _("forwarded case")
    FALLBACK = "fallback", _("administrators' fallback queue")


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete an audit event."""


class ImmutableRecordQuerySet(models.QuerySet):
    """Bulk changes to immutable records are refused like changes to one record.

    The one way to remove such records is `erase_expired`, named so that it is found and reviewed: the
    retention run (services.privacy.retention) calls it when the retention period of what they record is
    over. Deleting a request still takes its events with it (a discarded draft, or that same run).
    """

    def update(self, **kwargs):
        raise ImmutableRecordError(f"{self.model._meta.verbose_name_plural} are immutable.")

    def delete(self):
        raise ImmutableRecordError(f"{self.model._meta.verbose_name_plural} are immutable.")

    def erase_expired(self) -> int:
        """Delete these records because their retention period is over; returns how many went."""
        deleted, _ = super().delete()
        return deleted


class RequestEvent(models.Model):
    """An immutable entry in a request's history: who did what, when, on whose behalf, from which state to which."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32, choices=EventAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delegation = models.ForeignKey(
        "services.Delegation", verbose_name=_("under delegation"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    authority = models.CharField(
        _("under authority"), max_length=16, choices=AuthorityKind.choices, blank=True,
        help_text=_("For decisions and forwards: the kind of authority they were taken under."),
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=RequestStatus.choices)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)

    objects = ImmutableRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRecordError("Request events are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Request events are immutable.")


def private_storage():
    return storages["private"]


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file handed in with a request; stored outside any web root, served only through a checked view."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ServiceRequestUserPermission(UserObjectPermissionBase):
    """A per-request permission, e.g. to decide one case forwarded to a named colleague."""

    content_object = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("request permission")
        verbose_name_plural = _("request permissions")


class AuditAction(models.TextChoices):
    GRANTED = "granted", _("Responsibility granted")
    WITHDRAWN = "withdrawn", _("Responsibility withdrawn")
    DELEGATED = "delegated", _("Delegated")
    REVOKED = "revoked", _("Delegation revoked")
    SUBSTITUTE_SET = "substitute_set", _("Out-of-office substitute named")


class AuditEvent(models.Model):
    """An immutable record of a change to who may decide what (grants, delegations, revocations)."""

    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    delegation = models.ForeignKey("services.Delegation", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events")
    subject = models.CharField(_("concerning"), max_length=300)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)

    objects = ImmutableRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.subject}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRecordError("Audit events are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Audit events are immutable.")


class Notification(models.Model):
    """A message in the portal for one person (the unread list beside the emails)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="services_notification_unread")]

    def __str__(self) -> str:
        return self.message


# The models of the kinds and of the capability packages belong to this app: Django registers them
# through this module, so moving code between packages never renames a table.
from services.coffee import models as coffee_models  # noqa: E402, F401
from services.delegation import models as delegation_models  # noqa: E402, F401
from services.documents import models as documents_models  # noqa: E402, F401
from services.kinds import equipment_loan, generic, remote_work, vpn_access  # noqa: E402, F401
from services.kummerkasten import models as kummerkasten_models  # noqa: E402, F401
from services.leave import models as leave_models  # noqa: E402, F401
from services.phishing import models as phishing_models  # noqa: E402, F401
from services.reminders import models as reminder_models  # noqa: E402, F401
from services.surveys import models as survey_models  # noqa: E402, F401
