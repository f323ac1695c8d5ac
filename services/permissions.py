"""The one place that answers "may this user see or do that to this request".

Responsibility for "decide kind K in unit U and below" is a django-guardian object permission on
the OrgUnit, held by a person or a group (direct foreign-key permission models). On top of what
people hold themselves come delegations (time-bounded, revocable, possibly chained) and the
out-of-office substitute (who holds a holder's responsibility on the days of the holder's approved
leave). Everything is evaluated at the moment of the question, so a delegation takes effect and ends
at the second, and a revocation counts from the very next request, without any background job.

Views fetch every request through `get_request_for_user_or_404`: another person's request is
indistinguishable from one that does not exist (404, never 403).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404
from django.utils import timezone

from portal.models import OrgUnit, OrgUnitGroupPermission, OrgUnitUserPermission, User
from portal.security_log import security_event
from services.delegation.models import Delegation
from services.kinds import registry
from services.models import AuthorityKind, EventAction, RequestEvent, ServiceRequest, ServiceRequestUserPermission
from services.statuses import ALLOWED_FROM, Step, allows

FORWARDED_CODENAME = "decide_forwarded"
MAX_CHAIN_LENGTH = 10
ALLOWED_FROM_ANSWER_AS_SUBSTITUTE = ALLOWED_FROM[Step.ANSWER_AS_SUBSTITUTE]


@dataclass(frozen=True)
class Grant:
    """One responsibility a person can exercise now: a permission on a unit subtree, and where it comes from."""

    permission: str
    unit_id: int
    unit_path: str
    delegation: Delegation | None = None
    on_behalf_of: User | None = None
    redelegable: bool = True

    def covers(self, permission: str, unit_path: str) -> bool:
        return self.permission == permission and unit_path.startswith(self.unit_path)

    @property
    def holder_id(self) -> int | None:
        """Whose responsibility this is when it is exercised for someone else: the root of the delegation
        chain, or the holder a substitute stands in for; None for one's own."""
        return self.on_behalf_of.pk if self.on_behalf_of is not None else None

    def may_decide_for(self, applicant_id: int) -> bool:
        """Separation of duties: authority that comes from the applicant never decides the applicant's request."""
        return self.holder_id != applicant_id

    @property
    def kind(self) -> AuthorityKind:
        if self.delegation is not None:
            return AuthorityKind.DELEGATION
        return AuthorityKind.SUBSTITUTE if self.on_behalf_of is not None else AuthorityKind.OWN


# --- Asked once per page ------------------------------------------------------------------------------

_memo: ContextVar[dict | None] = ContextVar("permissions_memo", default=None)


@contextlib.contextmanager
def grants_remembered() -> Iterator[None]:
    """Inside this block (a page being read), what a person holds and can exercise at a moment is computed once;
    `at=None` means the block's "now". Any change of responsibilities, delegations, substitutes, group membership or
    requests inside the block forgets everything (`grants_forget`). Outside such a block nothing is remembered."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def grants_forget(**kwargs) -> None:
    """Forget what `grants_remembered` kept (a signal receiver: something a grant depends on changed)."""
    memo = _memo.get()
    if memo:
        memo.clear()


def connect_memo_receivers() -> None:
    """What a grant depends on: the permission rows, delegations, people (substitute, active), groups and requests
    (approved leave makes a holder away)."""
    for model in (OrgUnitUserPermission, OrgUnitGroupPermission, Delegation, User, ServiceRequest):
        post_save.connect(grants_forget, sender=model, dispatch_uid=f"permissions_memo_save_{model.__name__}")
        post_delete.connect(grants_forget, sender=model, dispatch_uid=f"permissions_memo_delete_{model.__name__}")
    m2m_changed.connect(grants_forget, sender=User.groups.through, dispatch_uid="permissions_memo_groups")


def _remembered(key: tuple, compute: Callable[[], list[Grant]]) -> list[Grant]:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return list(memo[key])


# --- Permissions without an object (Django's model permissions) ----------------------------------------------

def holds_model_permission(user: User, perm: str) -> bool:
    """`user.has_perm(perm)` without an object ("app_label.codename"), in one EXISTS query.

    Django's model backend answers a single `has_perm` by loading every permission the person holds, personally and
    through groups (two queries); a page that asks one question needs one row. The same answer for the configured
    backends: the model backends are the ones that grant permissions without an object (guardian's answers only with
    an object), a visitor or an inactive account holds none, an active superuser every one.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    app_label, codename = perm.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
        Q(user=user) | Q(group__user=user)).exists()


# --- What people hold and can exercise ------------------------------------------------------------

def held_grants(user: User) -> list[Grant]:
    """Responsibilities the user holds personally or through a group (one query)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return _remembered(("held", user.pk), lambda: _held_grants(user))


def _held_grants(user: User) -> list[Grant]:
    direct = OrgUnitUserPermission.objects.filter(user=user).values_list(
        "permission__codename", "content_object_id", "content_object__path")
    grouped = OrgUnitGroupPermission.objects.filter(group__user=user).values_list(
        "permission__codename", "content_object_id", "content_object__path")
    return [Grant(codename, unit_id, path) for codename, unit_id, path in direct.union(grouped, all=True)]


def _active_delegations_to(user: User, at: datetime.datetime) -> QuerySet[Delegation]:
    return Delegation.objects.filter(
        Q(delegate=user) | Q(delegate_group__user=user),
        revoked_at__isnull=True, starts_at__lte=at, ends_at__gt=at,
    ).select_related("delegator", "unit").distinct()


def _delegation_grants(delegation: Delegation, at: datetime.datetime, depth: int = 0) -> list[Grant]:
    """What a delegation passes on now: only what its basis (the parent, or the delegator) still covers."""
    if depth > MAX_CHAIN_LENGTH or not delegation.is_active(at):
        return []
    if delegation.parent_id:
        parent = Delegation.objects.select_related("delegator", "unit").get(pk=delegation.parent_id)
        basis = [grant for grant in _delegation_grants(parent, at, depth + 1) if grant.redelegable]
        holder = basis[0].on_behalf_of if basis else delegation.delegator
    else:
        basis = held_grants(delegation.delegator)
        holder = delegation.delegator
    grants = []
    for codename in delegation.permissions:
        if any(grant.covers(codename, delegation.unit.path) for grant in basis):
            grants.append(Grant(codename, delegation.unit_id, delegation.unit.path, delegation=delegation,
                                on_behalf_of=holder, redelegable=delegation.allow_redelegation))
    return grants


def _substitute_grants(user: User, at: datetime.datetime) -> list[Grant]:
    """The responsibilities of holders who named the user as substitute and are away today (on approved leave)."""
    # Who named the user at all (one small indexed query, and for most people nobody); whether they are away is
    # asked only of them, so that the absence rule of every kind is not compiled into everybody's page.
    named_by = list(User.objects.filter(out_of_office_substitute=user, is_active=True))
    if not named_by:
        return []
    away = set(ServiceRequest.objects.filter(registry.absence_filter(timezone.localdate(at)),
                                             applicant_id__in=[holder.pk for holder in named_by])
               .values_list("applicant_id", flat=True))
    grants = []
    for holder in (holder for holder in named_by if holder.pk in away):
        grants += [Grant(grant.permission, grant.unit_id, grant.unit_path, on_behalf_of=holder, redelegable=False)
                   for grant in held_grants(holder)]
    return grants


def effective_grants(user: User, *, at: datetime.datetime | None = None) -> list[Grant]:
    """Everything the user can exercise at `at` (now by default): held, delegated, as substitute."""
    if not user.is_authenticated or not user.is_active:
        return []
    return _remembered(("effective", user.pk, at), lambda: _effective_grants(user, at=at or timezone.now()))


def _effective_grants(user: User, *, at: datetime.datetime) -> list[Grant]:
    grants = [*held_grants(user)]
    for delegation in _active_delegations_to(user, at):
        grants += _delegation_grants(delegation, at)
    grants += _substitute_grants(user, at)
    return grants


# --- Deciding requests ------------------------------------------------------------------------------

def _decided_earlier_step(user: User):
    return Exists(RequestEvent.objects.filter(request=OuterRef("pk"), actor=user, action=EventAction.STEP_APPROVED))


def _forwarded_to(user: User):
    return Exists(ServiceRequestUserPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=FORWARDED_CODENAME))


def forwarded_to(user: User) -> Exists:
    """Whether a request (in a queryset of requests) was forwarded to the user by name: for marking such cases."""
    return _forwarded_to(user)


def requests_decidable_by(user: User, *, at: datetime.datetime | None = None) -> QuerySet[ServiceRequest]:
    """Everything the user may decide now: one queryset, whatever the length of the queue.

    A pending request is decidable by whoever can exercise its current step's permission on the
    applicant's unit or an ancestor, or to whom the case was forwarded — never by the applicant,
    never through authority that comes from the applicant (a delegation rooted in the applicant's own
    responsibility, or standing in as the applicant's substitute), and never by someone who approved
    an earlier step of the same request. Administrators also see
    the requests for whose step nobody was entitled (the fallback queue).
    """
    if not user.is_authenticated or not user.is_active:
        return ServiceRequest.objects.none()
    entitled = Q(pk__in=[])
    # One condition per subtree (a head holds all four kinds for the same unit): the units by the path's prefix
    # index, the requests by the pending-requests-per-unit index, rather than a join filtered row by row.
    reach_by_subtree: dict[tuple[str, int | None], set[str]] = {}
    for grant in effective_grants(user, at=at):
        reach_by_subtree.setdefault((grant.unit_path, grant.holder_id), set()).add(grant.permission)
    # The subtrees' units and the forwarded cases are read first (in one query, each part by index) and named by their
    # ids: with the ids in hand the planner reads the pending requests per unit by index instead of testing every one.
    paths = sorted({path for path, _holder in reach_by_subtree})
    units_under: dict[str, list[int]] = {path: [] for path in paths}
    # A forwarded case comes without a unit path.
    id_rows = ServiceRequestUserPermission.objects.filter(user=user, permission__codename=FORWARDED_CODENAME).values_list(
        "content_object_id", Value(None, output_field=CharField()))
    if paths:
        subtrees = Q(pk__in=[])
        for path in paths:
            subtrees |= Q(path__startswith=path)
        id_rows = OrgUnit.objects.filter(subtrees).order_by().values_list("pk", "path").union(id_rows, all=True)
    forwarded_ids = []
    for row_id, unit_path in id_rows:
        if unit_path is None:
            forwarded_ids.append(row_id)
            continue
        for path in paths:
            if unit_path.startswith(path):
                units_under[path].append(row_id)
    for (path, holder_id), permissions in sorted(reach_by_subtree.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        reach = Q(step_permission__in=sorted(permissions), unit_id__in=units_under[path])
        entitled |= reach & ~Q(applicant_id=holder_id) if holder_id is not None else reach
    entitled |= Q(pk__in=forwarded_ids)
    if user.is_superuser:
        entitled |= Q(unassigned=True)
    return (
        ServiceRequest.objects.filter(status__in=ALLOWED_FROM[Step.DECIDE])
        .filter(entitled)
        .exclude(applicant=user)
        .exclude(_decided_earlier_step(user))
    )


@dataclass(frozen=True)
class Authority:
    """Why a user may decide a request now: their own responsibility, a delegation, a substitution or a forward."""

    grant: Grant | None = None
    forwarded: bool = False
    fallback: bool = False

    @property
    def kind(self) -> AuthorityKind:
        if self.grant is not None:
            return self.grant.kind
        return AuthorityKind.FORWARD if self.forwarded else AuthorityKind.FALLBACK

    @property
    def on_behalf_of(self) -> User | None:
        return self.grant.on_behalf_of if self.grant else None

    @property
    def delegation(self) -> Delegation | None:
        return self.grant.delegation if self.grant else None


def decision_authority(user: User, request: ServiceRequest, *, at: datetime.datetime | None = None) -> Authority | None:
    """The authority under which `user` may decide `request`'s current step now, or None."""
    if not user.is_authenticated or not user.is_active or request.applicant_id == user.pk:
        return None
    if not allows(Step.DECIDE, request.status):
        return None
    if RequestEvent.objects.filter(request=request, actor=user, action=EventAction.STEP_APPROVED).exists():
        return None
    unit = OrgUnit.objects.filter(pk=request.unit_id).only("path").first()
    if unit is not None and request.step_permission:
        covering = [grant for grant in effective_grants(user, at=at)
                    if grant.covers(request.step_permission, unit.path) and grant.may_decide_for(request.applicant_id)]
        if covering:
            # One's own responsibility first, then a delegation, then a substitution.
            covering.sort(key=lambda grant: (grant.on_behalf_of is not None, grant.delegation is None))
            return Authority(grant=covering[0])
    if ServiceRequestUserPermission.objects.filter(content_object=request, user=user,
                                                   permission__codename=FORWARDED_CODENAME).exists():
        return Authority(forwarded=True)
    if user.is_superuser and request.unassigned:
        return Authority(fallback=True)
    return None


def forwarding_authority(user: User, request: ServiceRequest) -> Authority | None:
    """The authority under which `user` may forward `request` now, or None.

    Forwarding is for those who hold the current step (own, group, delegation, substitute) and for
    administrators; a colleague a case was forwarded to decides it but does not pass it on.
    """
    authority = decision_authority(user, request)
    return authority if may_forward_under(user, authority) else None


def may_forward_under(user: User, authority: Authority | None) -> bool:
    """Whether the authority `user` decides under lets them pass the case on (for pages that hold it already)."""
    return authority is not None and (not authority.forwarded or bool(user.is_superuser))


def entitled_user_ids(request: ServiceRequest, *, at: datetime.datetime | None = None) -> list[int]:
    """The ids of everyone who may decide the request's current step at `at` (now by default), in order.

    The same answer as asking `decision_authority` of each person, given in SQL: a handful of queries
    whatever the number of holders, delegations and substitutes in the city. Authority reaches the
    request through the current step's responsibility on the applicant's unit or an ancestor — held
    (personally or through a group), delegated (along a chain whose every link still passes it on) or
    as the out-of-office substitute of a holder who is away — and never comes from the applicant.
    The applicant and whoever approved an earlier step are left out. A colleague the case was
    forwarded to counts when they are among those the responsibility could reach.
    """
    if request.unit_id is None or not request.step_permission or not allows(Step.DECIDE, request.status):
        return []
    at = at or timezone.now()
    codename, applicant_id = request.step_permission, request.applicant_id
    paths = _ancestor_paths(request.unit.path)
    held = _holders(codename, paths)
    granted = Q(pk__in={user_id for user_id, _path in held})
    delegations = {row["pk"]: row for row in Delegation.objects.filter(
        unit__path__in=paths, revoked_at__isnull=True, starts_at__lte=at, ends_at__gt=at,
    ).values("pk", "parent_id", "delegator_id", "delegate_id", "delegate_group_id", "unit__path", "permissions",
             "allow_redelegation") if codename in row["permissions"]}
    for row in delegations.values():
        root = _chain_root(row, delegations, held)
        if root is not None and root != applicant_id:
            granted |= Q(pk=row["delegate_id"]) if row["delegate_id"] else Q(groups=row["delegate_group_id"])
    away_holders = {user_id for user_id, _path in held} - {applicant_id}
    if away_holders:
        away = ServiceRequest.objects.filter(registry.absence_filter(timezone.localdate(at))).values("applicant_id")
        granted |= Q(pk__in=User.objects.filter(pk__in=away_holders).filter(pk__in=away)
                     .values("out_of_office_substitute_id"))
    forwarded = ServiceRequestUserPermission.objects.filter(content_object_id=request.pk, user_id=OuterRef("pk"),
                                                            permission__codename=FORWARDED_CODENAME)
    rows = (
        User.objects.filter(granted | Q(Exists(forwarded)), is_active=True)
        .exclude(pk=applicant_id)
        .exclude(Exists(RequestEvent.objects.filter(request_id=request.pk, actor_id=OuterRef("pk"),
                                                    action=EventAction.STEP_APPROVED)))
        .annotate(granted=ExpressionWrapper(granted, output_field=BooleanField()))
        .values_list("pk", "granted").distinct().order_by("pk")
    )
    rows = list(rows)
    only_forwarded = {pk for pk, has_grant in rows if not has_grant}
    reachable = _reachable_among(only_forwarded, codename=codename, held=held, at=at) if only_forwarded else set()
    return [pk for pk, has_grant in rows if has_grant or pk in reachable]


def entitled_users(request: ServiceRequest, *, at: datetime.datetime | None = None) -> list[User]:
    """Everyone who may decide the request's current step now (for notifications and the fallback check)."""
    ids = entitled_user_ids(request, at=at)
    return list(User.objects.filter(pk__in=ids).order_by("pk")) if ids else []


def _ancestor_paths(path: str) -> list[str]:
    """The paths of a unit and of every unit above it, read off its own path (the tree's materialised path)."""
    return [path[:end] for end in range(OrgUnit.steplen, len(path) + 1, OrgUnit.steplen)]


def _holders(codename: str, paths: list[str]) -> list[tuple[int, str]]:
    """(person, unit path) for every active person holding `codename` on one of the units, personally or through a
    group (one query)."""
    direct = OrgUnitUserPermission.objects.filter(
        permission__codename=codename, content_object__path__in=paths, user__is_active=True,
    ).order_by().values_list("user_id", "content_object__path")
    grouped = User.objects.filter(
        is_active=True, groups__orgunitgrouppermission__permission__codename=codename,
        groups__orgunitgrouppermission__content_object__path__in=paths,
    ).order_by().values_list("pk", "groups__orgunitgrouppermission__content_object__path")
    return list(direct.union(grouped))


def _chain_root(row: dict, delegations: dict[int, dict], held: list[tuple[int, str]], depth: int = 0) -> int | None:
    """The delegator at the root of the delegation's chain when every link still passes the responsibility on
    (as `_delegation_grants` decides for one person), else None; `delegations` are the active ones carrying it."""
    if depth > MAX_CHAIN_LENGTH:
        return None
    if row["parent_id"] is None:
        covered = any(user_id == row["delegator_id"] and row["unit__path"].startswith(path) for user_id, path in held)
        return row["delegator_id"] if covered else None
    parent = delegations.get(row["parent_id"])
    if parent is None or not parent["allow_redelegation"] or not row["unit__path"].startswith(parent["unit__path"]):
        return None
    return _chain_root(parent, delegations, held, depth + 1)


def _reachable_among(ids: set[int], *, codename: str, held: list[tuple[int, str]], at: datetime.datetime) -> set[int]:
    """Which of these people (a case was forwarded to them) the responsibility could reach at all: holders on the
    unit or above, delegates of an active delegation carrying it, or the out-of-office substitute of either."""
    substitute_of = dict(User.objects.filter(out_of_office_substitute_id__in=ids)
                         .values_list("pk", "out_of_office_substitute_id"))
    people = ids | set(substitute_of)
    reached = {user_id for user_id, _path in held}
    for row in Delegation.objects.filter(revoked_at__isnull=True, starts_at__lte=at, ends_at__gt=at).filter(
            Q(delegate_id__in=people) | Q(delegate_group__user__in=people)).values("delegate_id", "delegate_group__user",
                                                                                   "permissions"):
        if codename in row["permissions"]:
            reached |= {row["delegate_id"] or row["delegate_group__user"]} & people
    standing_in = {substitute for person, substitute in substitute_of.items() if person in reached}
    return ids & (reached | standing_in)


# --- Seeing requests --------------------------------------------------------------------------------

def requests_visible_to(user: User) -> QuerySet[ServiceRequest]:
    """Every request the user may open: their own, those they may decide now, those waiting for their
    confirmation as the named substitute, those they acted on, and those decided on their behalf
    (a holder sees what a delegate or substitute decided in his name)."""
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    decidable = requests_decidable_by(user).values("pk")
    acted_on = RequestEvent.objects.filter(actor=user).values("request_id")
    on_their_behalf = RequestEvent.objects.filter(on_behalf_of=user).values("request_id")
    return ServiceRequest.objects.filter(Q(applicant=user) | Q(pk__in=decidable) | Q(pk__in=acted_on)
                                         | Q(pk__in=on_their_behalf)
                                         | Q(pk__in=requests_awaiting_confirmation_by(user).values("pk")))


def user_was_outpaced(user: User, request: ServiceRequest, *, step: int) -> bool:
    """Whether `user` held step `step` of `request` (its responsibility for the applicant's unit, not rooted in the
    applicant) and someone else settled that step first: the loser of a race, who is told who decided, not a 404."""
    if not user.is_authenticated or not user.is_active or request.applicant_id == user.pk:
        return False
    if allows(Step.DECIDE, request.status) and request.current_step == step:
        return False  # the step still waits: nothing was lost
    if not RequestEvent.objects.filter(request=request, step=step, authority__gt="").exclude(actor=user).exists():
        return False
    kind = request.kind_entry
    steps = kind.steps_for(request) if kind is not None else ()
    unit = OrgUnit.objects.filter(pk=request.unit_id).only("path").first()
    if not 1 <= step <= len(steps) or unit is None:
        return False
    return any(grant.covers(steps[step - 1].permission, unit.path) and grant.may_decide_for(request.applicant_id)
               for grant in effective_grants(user))


def requests_awaiting_confirmation_by(user: User) -> QuerySet[ServiceRequest]:
    """Requests that name the user as substitute and wait for them to confirm (and only those)."""
    if not user.is_authenticated or not user.is_active:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(registry.substitute_filter(user),
                                         status__in=ALLOWED_FROM_ANSWER_AS_SUBSTITUTE)


def user_can_answer_as_substitute(user: User, request: ServiceRequest) -> bool:
    """Whether to offer "Confirm" and "Decline": the named substitute, while the request waits for them."""
    return requests_awaiting_confirmation_by(user).filter(pk=request.pk).exists()


def get_request_for_user_or_404(user: User, reference: str) -> ServiceRequest:
    try:
        return requests_visible_to(user).select_related("applicant", "unit").get(reference=reference)
    except ServiceRequest.DoesNotExist:
        security_event("access_refused", user=user, object="request", reference=reference, reason="not visible")
        raise Http404("No such request.") from None


def _applicant_may(user: User, request: ServiceRequest, step: Step) -> bool:
    return request.applicant_id == user.pk and allows(step, request.status)


def user_can_withdraw(user: User, request: ServiceRequest) -> bool:
    return _applicant_may(user, request, Step.WITHDRAW)


def user_can_edit(user: User, request: ServiceRequest) -> bool:
    return _applicant_may(user, request, Step.EDIT)


def user_can_discard(user: User, request: ServiceRequest) -> bool:
    return _applicant_may(user, request, Step.DISCARD)


def user_can_cancel(user: User, request: ServiceRequest) -> bool:
    """Whether to offer "Cancel": the applicant's approved request of a kind that can be cancelled (leave); the
    cancellation itself checks the days and open cancellations."""
    kind = request.kind_entry
    return kind is not None and kind.cancellable and _applicant_may(user, request, Step.CANCEL)


# --- Delegating ---------------------------------------------------------------------------------------

def delegable_grants(user: User, *, at: datetime.datetime | None = None) -> list[Grant]:
    """What the user may pass on: what they hold, and what was delegated to them with re-delegation allowed."""
    at = at or timezone.now()
    grants = held_grants(user)
    for delegation in _active_delegations_to(user, at):
        grants += [grant for grant in _delegation_grants(delegation, at) if grant.redelegable]
    return grants


def delegable_units(grants: list[Grant]) -> QuerySet[OrgUnit]:
    """The units the grants reach: each grant's unit and everything below it (one prefix query)."""
    reach = Q(pk__in=[])
    for path in {grant.unit_path for grant in grants}:
        reach |= Q(path__startswith=path)
    return OrgUnit.objects.filter(reach).order_by("path")


# --- Seeing and revoking delegations ------------------------------------------------------------------

def delegations_visible_to(user: User) -> QuerySet[Delegation]:
    """Delegations the user gave or received (personally or through a group); administrators see all."""
    if not user.is_authenticated or not user.is_active:
        return Delegation.objects.none()
    if user.is_superuser:
        return Delegation.objects.all()
    return Delegation.objects.filter(
        Q(delegator=user) | Q(delegate=user) | Q(delegate_group__in=user.groups.values("pk")))


def get_delegation_for_user_or_404(user: User, pk: int) -> Delegation:
    try:
        return delegations_visible_to(user).select_related("delegator", "delegate", "delegate_group", "unit").get(pk=pk)
    except Delegation.DoesNotExist:
        security_event("access_refused", user=user, object="delegation", pk=pk, reason="not visible")
        raise Http404("No such delegation.") from None


def user_controls_delegation(user: User, delegation: Delegation) -> bool:
    """The person who delegated, and administrators, control a delegation; for everyone else it does not exist."""
    return delegation.delegator_id == user.pk or bool(user.is_superuser)


def user_can_revoke_delegation(user: User, delegation: Delegation) -> bool:
    """Only the person who delegated, or an administrator, may revoke; a revoked delegation stays revoked."""
    return delegation.revoked_at is None and user_controls_delegation(user, delegation)


def user_may_export_audit(user: User) -> bool:
    """The audit trail (who decided what on whose behalf) is for administrators only."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def personnel_review_paths(user: User) -> list[str]:
    """The unit paths where the user exercises `review_personnel` now (HR: the proof of leave expiry notices)."""
    return sorted({grant.unit_path for grant in effective_grants(user) if grant.permission == "review_personnel"})
