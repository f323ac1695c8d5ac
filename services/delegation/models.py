"""The delegation table: who passed which responsibility to whom, for which units and time.

Registered with the `services` app (through services/models.py); the rules of delegating are in
services.delegation.services, what a delegation lets someone do now in services.permissions.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delegation(models.Model):
    """Responsibility passed on for a time: some permissions, for a unit subtree, to a person or a group.

    A delegation grants nothing before `starts_at`, from `ends_at` on, or once revoked; these are
    checked whenever permissions are evaluated, so no background job is needed. A re-delegation
    points to its `parent`, which keeps chains A → B → C traceable; it never outlasts its parent and
    is revoked with it.
    """

    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delegated by"), on_delete=models.PROTECT,
                                  related_name="delegations_given")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delegate"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="delegations_received")
    delegate_group = models.ForeignKey("auth.Group", verbose_name=_("delegate group"), on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+")
    unit = models.ForeignKey("portal.OrgUnit", verbose_name=_("unit and all below"), on_delete=models.PROTECT, related_name="+")
    permissions = models.JSONField(_("responsibilities"), default=list)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    allow_redelegation = models.BooleanField(_("may delegate further"), default=False)
    parent = models.ForeignKey("self", verbose_name=_("passed on from"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="delegation_ends_after_start"),
            models.CheckConstraint(
                condition=(models.Q(delegate__isnull=False, delegate_group__isnull=True)
                           | models.Q(delegate__isnull=True, delegate_group__isnull=False)),
                name="delegation_one_delegate",
            ),
            models.CheckConstraint(condition=~models.Q(delegate=models.F("delegator")), name="delegation_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.delegator} → {self.delegate or self.delegate_group}"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.starts_at <= at < self.ends_at

