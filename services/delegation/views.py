"""The delegation pages: what I delegated, what was delegated to me, what I hold, my substitute.

Views stay thin: they fetch through services.permissions, validate with forms and hand every change
to services.delegation.services, whose refusals they show as they are.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.http import private_response
from portal.mfa import mfa_setup_redirect, require_reauthentication
from portal.models import OrgUnit, User
from portal.responsibilities import responsibility_labels
from services import permissions
from services.delegation import services as delegation_services
from services.delegation.forms import DelegationForm, SubstituteForm, default_window
from services.delegation.models import Delegation


class DelegationStatus(models.TextChoices):
    UPCOMING = "upcoming", gettext_lazy("Upcoming")
    ACTIVE = "active", gettext_lazy("Active")
    ENDED = "ended", gettext_lazy("Ended")
    REVOKED = "revoked", gettext_lazy("Revoked")


def delegation_status(delegation: Delegation, at: datetime.datetime) -> DelegationStatus:
    if delegation.revoked_at is not None:
        return DelegationStatus.REVOKED
    if at < delegation.starts_at:
        return DelegationStatus.UPCOMING
    if at >= delegation.ends_at:
        return DelegationStatus.ENDED
    return DelegationStatus.ACTIVE


@dataclass(frozen=True)
class DelegationRow:
    delegation: Delegation
    status: DelegationStatus
    permission_labels: list[str]
    can_revoke: bool


def _rows(user: User, delegations, labels: dict[str, str], at: datetime.datetime) -> list[DelegationRow]:
    return [
        DelegationRow(delegation=item, status=delegation_status(item, at),
                      permission_labels=[labels.get(codename, codename) for codename in item.permissions],
                      can_revoke=permissions.user_can_revoke_delegation(user, item))
        for item in delegations
    ]


def _responsibilities(user: User, labels: dict[str, str]) -> list[dict]:
    """What the user holds, one row per unit, responsibilities in the order the model declares them."""
    by_unit: dict[int, set[str]] = {}
    for grant in permissions.held_grants(user):
        by_unit.setdefault(grant.unit_id, set()).add(grant.permission)
    units = OrgUnit.objects.filter(pk__in=by_unit).order_by("path")
    return [{"unit": unit, "labels": [label for codename, label in labels.items() if codename in by_unit[unit.pk]]}
            for unit in units]


def _list_context(user: User, substitute_form: SubstituteForm) -> dict:
    now = timezone.now()
    labels = responsibility_labels()
    related = ("delegator", "delegate", "delegate_group", "unit", "parent__delegator")
    given = Delegation.objects.filter(delegator=user).select_related(*related)
    received = Delegation.objects.filter(
        models.Q(delegate=user) | models.Q(delegate_group__in=user.groups.values("pk"))).select_related(*related)
    return {
        "given": _rows(user, given, labels, now),
        "received": _rows(user, received, labels, now),
        "responsibilities": _responsibilities(user, labels),
        "can_delegate": bool(permissions.delegable_grants(user, at=now)),
        "substitute_form": substitute_form,
        "error_forms": [substitute_form] if substitute_form.is_bound and substitute_form.errors else [],
        "substitute": user.out_of_office_substitute,
    }


@never_cache
@login_required
@require_GET
def delegation_list(http_request: HttpRequest) -> HttpResponse:
    user: User = http_request.user
    form = SubstituteForm(initial={"substitute_email": user.out_of_office_substitute.email
                                   if user.out_of_office_substitute else ""})
    return private_response(render(http_request, "services/delegation/list.html", _list_context(user, form)))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delegation_create_view(http_request: HttpRequest) -> HttpResponse:
    """Delegate part of what one holds; the services layer decides whether it is allowed."""
    user: User = http_request.user
    grants = permissions.delegable_grants(user)
    if not grants:
        messages.error(http_request, _("You hold no responsibility that you could delegate."))
        return redirect("delegations:list")
    if refusal := mfa_setup_redirect(http_request):
        return refusal
    require_reauthentication(http_request)
    if http_request.method == "POST":
        form = DelegationForm(http_request.POST, grants=grants)
        if form.is_valid():
            data = form.cleaned_data
            try:
                delegation = delegation_services.delegation_create(
                    delegator=user, delegate=form.delegate, delegate_group=data["delegate_group"], unit=data["unit"],
                    codenames=data["permissions"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                    reason=data["reason"], allow_redelegation=data["allow_redelegation"],
                )
            except delegation_services.DelegationRefused as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
            else:
                messages.success(http_request, _("Delegation #%(number)s to %(delegate)s has been saved.") % {
                    "number": delegation.pk, "delegate": delegation.delegate or delegation.delegate_group})
                return redirect("delegations:list")
    else:
        starts_at, ends_at = default_window()
        form = DelegationForm(grants=grants, initial={"starts_at": starts_at, "ends_at": ends_at})
        form.initial["unit"] = form.fields["unit"].queryset.first()
    return private_response(render(http_request, "services/delegation/form.html", {
        "form": form, "error_forms": [form] if form.is_bound and form.errors else [],
    }))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delegation_revoke_view(http_request: HttpRequest, pk: int) -> HttpResponse:
    """End a delegation (and what was passed on from it) at once; only its delegator or an administrator may.

    GET asks for confirmation, naming what ends and who loses it; POST revokes.
    """
    delegation = permissions.get_delegation_for_user_or_404(http_request.user, pk)
    if not permissions.user_controls_delegation(http_request.user, delegation):
        raise Http404("No such delegation.")
    if refusal := mfa_setup_redirect(http_request):
        return refusal
    if http_request.method == "GET":
        row, = _rows(http_request.user, [delegation], responsibility_labels(), timezone.now())
        return private_response(render(http_request, "services/delegation/revoke_confirm.html", {
            "row": row, "delegation": delegation,
            "passed_on": delegation.children.filter(revoked_at__isnull=True).select_related("delegate", "delegate_group"),
        }))
    require_reauthentication(http_request)
    try:
        delegation_services.delegation_revoke(delegation=delegation, actor=http_request.user)
    except delegation_services.DelegationRefused as refusal:
        messages.error(http_request, str(refusal))
    else:
        messages.success(http_request, _("Delegation #%(number)s has been revoked, with everything passed on from it.") % {
            "number": delegation.pk})
    return redirect("delegations:list")


@never_cache
@login_required
@require_POST
def substitute_view(http_request: HttpRequest) -> HttpResponse:
    """Name (or clear) the colleague who holds one's responsibilities on the days of one's approved leave."""
    user: User = http_request.user
    # A substitute holds everything the person holds while they are on leave: for holders, a delegation.
    if permissions.delegable_grants(user):
        if refusal := mfa_setup_redirect(http_request):
            return refusal
        require_reauthentication(http_request)
    form = SubstituteForm(http_request.POST)
    if form.is_valid():
        try:
            delegation_services.substitute_set(holder=user, substitute=form.substitute)
        except delegation_services.DelegationRefused as refusal:
            form.add_error("substitute_email", str(refusal))
        else:
            if form.substitute:
                messages.success(http_request, _("%(person)s is now your substitute while you are on leave.") % {
                    "person": form.substitute})
            else:
                messages.success(http_request, _("You no longer have a substitute."))
            return redirect("delegations:list")
    user.refresh_from_db(fields=["out_of_office_substitute"])
    return private_response(render(http_request, "services/delegation/list.html", _list_context(user, form)))
