"""Changes to who may decide what: responsibilities, delegations, revocations, substitutes.

Each is one atomic function that checks, saves and appends an immutable AuditEvent.
"""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend
from guardian.shortcuts import assign_perm, remove_perm

from portal.models import OrgUnit, User
from portal.responsibilities import RESPONSIBILITY_CODENAMES, responsibility_label
from portal.security_log import security_event
from services import permissions
from services.delegation.models import Delegation
from services.delegation.tasks import delegation_notify, notify_delegate
from services.models import AuditAction, AuditEvent


class DelegationRefused(Exception):
    """The delegation or revocation is not allowed; the message says why, for the person.

    `field` names the form field the refusal is about (e.g. "ends_at"), so that a form can mark it; None when it
    concerns the whole delegation.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def delegate_groups() -> QuerySet[Group]:
    """The groups one may delegate to: teams of staff, not the CMS's own groups.

    A group that edits or moderates pages, holds collections (Wagtail's "Editors" and "Moderators") or opens the
    Wagtail admin exists for the CMS; passing decisions to everyone who may edit pages would be an accident.
    """
    return Group.objects.exclude(
        Q(page_permissions__isnull=False) | Q(collection_permissions__isnull=False)
        | Q(permissions__content_type__app_label="wagtailadmin", permissions__codename="access_admin")
    ).distinct().order_by("name")


def _party(holder: User | Group | None) -> str | None:
    """A person by e-mail, a group by name, for the security log."""
    if holder is None:
        return None
    return f"group:{holder.name}" if isinstance(holder, Group) else holder.email


def _audit(*, action: AuditAction, actor: User, subject: str, delegation: Delegation | None = None,
           on_behalf_of: User | None = None, detail: dict | None = None, holder: User | Group | None = None,
           substitute: User | None = None) -> AuditEvent:
    """Append the immutable audit record and, once the change commits, the security log's line.

    `holder` (of a granted or withdrawn responsibility) and `substitute` (named or cleared) are for the log.
    """
    detail = detail or {}
    line = {"action": action.value, "delegation": delegation.pk if delegation else None,
            "unit": delegation.unit.code if delegation else detail.get("unit"),
            "codenames": sorted(delegation.permissions) if delegation else detail.get("permissions"),
            "on_behalf_of": _party(on_behalf_of)}
    if action in (AuditAction.GRANTED, AuditAction.WITHDRAWN):
        line["holder"] = _party(holder)
        line["source"] = detail.get("source", "")
    if action == AuditAction.SUBSTITUTE_SET:
        line["substitute"] = _party(substitute)
    transaction.on_commit(lambda: security_event("delegation_changed", user=actor, **line))
    return AuditEvent.objects.create(action=action, actor=actor, subject=subject[:300], delegation=delegation,
                                     on_behalf_of=on_behalf_of, detail=detail)


@transaction.atomic
def responsibility_grant(*, actor: User, holder: User | Group, unit: OrgUnit, codenames: list[str], source: str = "") -> None:
    """Give a person or group responsibilities for a unit and everything below it.

    `source` names where the grant came from when it was not the admin (the HR import: "import_staff").
    """
    unknown = set(codenames) - set(RESPONSIBILITY_CODENAMES)
    if unknown:
        raise DelegationRefused(_("Unknown responsibility: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for codename in codenames:
        assign_perm(f"portal.{codename}", holder, unit)
    detail = {"permissions": sorted(codenames), "unit": unit.code, "holder": str(holder)}
    if source:
        detail["source"] = source
    _audit(action=AuditAction.GRANTED, actor=actor, subject=f"{holder} @ {unit.code} {unit}", detail=detail, holder=holder)


@transaction.atomic
def responsibility_withdraw(*, actor: User, holder: User | Group, unit: OrgUnit, codenames: list[str]) -> None:
    for codename in codenames:
        remove_perm(f"portal.{codename}", holder, unit)
    _audit(action=AuditAction.WITHDRAWN, actor=actor, subject=f"{holder} @ {unit.code} {unit}", holder=holder,
           detail={"permissions": sorted(codenames), "unit": unit.code, "holder": str(holder)})


@transaction.atomic
def delegation_create(*, delegator: User, unit: OrgUnit, codenames: list[str], starts_at: datetime.datetime,
                      ends_at: datetime.datetime, reason: str, delegate: User | None = None,
                      delegate_group: Group | None = None, allow_redelegation: bool = False) -> Delegation:
    """Pass part of what the delegator holds to a person or group for a time window.

    Nobody can delegate more than they hold (kinds and unit subtree), nor for longer than the
    delegation they hold it through; a delegation to oneself is refused.
    """
    if (delegate is None) == (delegate_group is None):
        raise DelegationRefused(_("Choose exactly one person or one group to delegate to."))
    if delegate_group is not None and not delegate_groups().filter(pk=delegate_group.pk).exists():
        raise DelegationRefused(_("This group exists for the editing of pages; choose a team of staff or a person."),
                                field="delegate_group")
    if delegate is not None and delegate.pk == delegator.pk:
        raise DelegationRefused(_("You cannot delegate to yourself."), field="delegate_email")
    if delegate is not None and not delegate.is_active:
        raise DelegationRefused(_("The chosen person has no active account."), field="delegate_email")
    if not codenames:
        raise DelegationRefused(_("Choose at least one responsibility to delegate."), field="permissions")
    if ends_at <= starts_at:
        raise DelegationRefused(_("The end of the delegation must be after its start."), field="ends_at")
    if ends_at <= timezone.now():
        raise DelegationRefused(_("The delegation would already be over."), field="ends_at")
    # Paths shift when sibling units are inserted before this one: compare against the stored path.
    unit = OrgUnit.objects.get(pk=unit.pk)
    basis = permissions.delegable_grants(delegator, at=max(starts_at, timezone.now()))
    parent = None
    for codename in codenames:
        covering = [grant for grant in basis if grant.covers(codename, unit.path)]
        if not covering:
            raise DelegationRefused(
                _("You do not hold “%(permission)s” for %(unit)s, so you cannot delegate it.") % {
                    "permission": responsibility_label(codename), "unit": unit})
        own = [grant for grant in covering if grant.delegation is None]
        if not own:
            via = covering[0].delegation
            if parent is not None and parent.pk != via.pk:
                raise DelegationRefused(_("Delegate what you received through different delegations separately."))
            parent = via
    if parent is not None:
        if ends_at > parent.ends_at or starts_at < parent.starts_at:
            raise DelegationRefused(
                _("Your own delegation runs from %(start)s to %(end)s; yours cannot last longer.") % {
                    "start": timezone.localtime(parent.starts_at).strftime("%d.%m.%Y %H:%M"),
                    "end": timezone.localtime(parent.ends_at).strftime("%d.%m.%Y %H:%M")})
    delegation = Delegation.objects.create(
        delegator=delegator, delegate=delegate, delegate_group=delegate_group, unit=unit, permissions=sorted(codenames),
        starts_at=starts_at, ends_at=ends_at, reason=reason, allow_redelegation=allow_redelegation, parent=parent,
    )
    _audit(action=AuditAction.DELEGATED, actor=delegator, delegation=delegation,
           on_behalf_of=parent.delegator if parent else None,
           subject=f"#{delegation.pk} {delegator} → {delegate or delegate_group} @ {unit.code} {unit}",
           detail={"permissions": sorted(codenames), "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(),
                   "parent": parent.pk if parent else None, "allow_redelegation": allow_redelegation})
    _announce(delegation)
    return delegation


def _announce(delegation: Delegation) -> None:
    """Tell the delegate now, in this transaction; where the task backend can wait, again when the delegation starts."""
    delegation_notify(delegation=delegation)
    if delegation.starts_at > timezone.now() and default_task_backend.supports_defer:
        transaction.on_commit(lambda: notify_delegate.using(run_after=delegation.starts_at).enqueue(
            delegation_id=delegation.pk))


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, actor: User) -> Delegation:
    """End a delegation at once, with every re-delegation made from it."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if not permissions.user_controls_delegation(actor, delegation):
        raise DelegationRefused(_("Only the person who delegated can revoke this delegation."))
    if delegation.revoked_at is not None:
        raise DelegationRefused(_("This delegation has already been revoked."))
    now = timezone.now()
    pending = [delegation]
    while pending:
        current = pending.pop()
        if current.revoked_at is None:
            current.revoked_at = now
            current.revoked_by = actor
            current.save(update_fields=["revoked_at", "revoked_by"])
            _audit(action=AuditAction.REVOKED, actor=actor, delegation=current, subject=f"#{current.pk} {current}")
        pending.extend(current.children.all())
    return delegation


@transaction.atomic
def substitute_set(*, holder: User, substitute: User | None) -> User:
    """Name the colleague who holds the holder's responsibilities on the days of their approved leave."""
    if substitute is not None and substitute.pk == holder.pk:
        raise DelegationRefused(_("You cannot be your own substitute."))
    holder.out_of_office_substitute = substitute
    holder.save(update_fields=["out_of_office_substitute"])
    _audit(action=AuditAction.SUBSTITUTE_SET, actor=holder, subject=f"{holder} → {substitute or '—'}", substitute=substitute)
    return holder
