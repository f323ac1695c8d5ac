"""The approver's pages: deciding and forwarding one request, the substitute's answer, the queue with bulk approval.

Who may decide is answered by services.permissions, every change made by services.workflow; a
refusal is shown to the person as it is.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.http import private_response
from portal.mfa import mfa_satisfied, mfa_setup_redirect, require_reauthentication
from portal.models import User
from portal.pagination import CappedPaginator
from services import permissions, selectors, workflow
from services.forms import BulkApproveForm, DecidedFilterForm, DecisionForm, ForwardForm, SubstituteDeclineForm
from services.kinds import registry
from services.models import ServiceRequest
from services.statuses import PENDING_DECISION_STATUSES, RequestStatus
from services.views.requests import render_request_detail, request_for_decider_or_404, step_number


def _request_for_decider_or_404(http_request: HttpRequest, reference: str) -> ServiceRequest | HttpResponse:
    """The request, if the person may see it; for the loser of a race a page saying who decided and when (409)."""
    return request_for_decider_or_404(http_request, reference, step=_expected_step(http_request))


def _mfa_refusal(http_request: HttpRequest, service_request: ServiceRequest) -> HttpResponse | None:
    """Whoever may decide this request must have a second factor first (portal.mfa); everyone else is told by
    the workflow that they may not decide, as before."""
    if permissions.decision_authority(http_request.user, service_request) is None:
        return None
    return mfa_setup_redirect(http_request)


def _expected_step(http_request: HttpRequest) -> int | None:
    return step_number(http_request.POST.get("expected_step"))


def _refused(http_request: HttpRequest, reference: str, message: str) -> HttpResponse:
    """A refusal that concerns the request as a whole (not one field): said in a message on the request's page."""
    messages.error(http_request, message)
    return redirect("services:request_detail", reference=reference)


@never_cache
@login_required
@require_http_methods(["POST"])
def request_decide_view(http_request: HttpRequest, reference: str) -> HttpResponse:
    """Approve, reject or send back the current step; refused if the step moved on since the page was shown.

    A refusal about the comment (too long, or missing for a rejection) shows the page again with the
    decision form marked; a refusal of the decision itself is a message on the page (redirect).
    """
    service_request = _request_for_decider_or_404(http_request, reference)
    if isinstance(service_request, HttpResponse):
        return service_request
    if refusal := _mfa_refusal(http_request, service_request):
        return refusal
    decision = http_request.POST.get("decision", "")
    expected_step = _expected_step(http_request)
    if expected_step is None:
        return _refused(http_request, reference, _("The form was incomplete. Please reload the page and try again."))
    form = DecisionForm(http_request.POST)
    may_decide = permissions.decision_authority(http_request.user, service_request) is not None
    if not form.is_valid():
        if may_decide:
            return render_request_detail(http_request, service_request, decision_form=form)
        return _refused(http_request, reference, _("The comment is too long."))
    try:
        workflow.request_decide(request=service_request, actor=http_request.user, decision=decision,
                                comment=form.cleaned_data["comment"], expected_step=expected_step)
    except workflow.TransitionNotAllowed as error:
        if error.field in form.fields and may_decide:
            form.add_error(error.field, str(error))
            return render_request_detail(http_request, service_request, decision_form=form)
        return _refused(http_request, reference, str(error))
    messages.success(http_request, _("Your decision on %(reference)s has been saved.") % {"reference": reference})
    return redirect("queue")


@never_cache
@login_required
@require_http_methods(["POST"])
def request_forward_view(http_request: HttpRequest, reference: str) -> HttpResponse:
    """Pass one case to a colleague named by email address; an unknown address marks the field."""
    service_request = _request_for_decider_or_404(http_request, reference)
    if isinstance(service_request, HttpResponse):
        return service_request
    if refusal := _mfa_refusal(http_request, service_request):
        return refusal
    form = ForwardForm(http_request.POST)
    authority = permissions.decision_authority(http_request.user, service_request)
    form_shown = permissions.may_forward_under(http_request.user, authority)
    if not form.is_valid():
        if form_shown:
            return render_request_detail(http_request, service_request, forward_form=form)
        return _refused(http_request, reference, " ".join(form.errors.get("email", [])) or _("The comment is too long."))
    try:
        workflow.request_forward(request=service_request, actor=http_request.user, to=form.colleague,
                                 comment=form.cleaned_data["comment"], expected_step=_expected_step(http_request))
    except workflow.TransitionNotAllowed as error:
        if error.field in form.fields and form_shown:
            form.add_error(error.field, str(error))
            return render_request_detail(http_request, service_request, forward_form=form)
        return _refused(http_request, reference, str(error))
    messages.success(http_request, _("Request %(reference)s has been forwarded to %(person)s.") % {
        "reference": reference, "person": form.colleague})
    return redirect("queue")


def _substitute_answer(http_request: HttpRequest, reference: str, *, transition, success: str) -> HttpResponse:
    """Run the substitute's confirm or decline with the optional comment; the message says what happened.

    A refusal about the reason shows the page again with the decline form marked, to the substitute (who sees
    that form); everyone else is told in a message.
    """
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    form = SubstituteDeclineForm(http_request.POST)
    form_shown = permissions.user_can_answer_as_substitute(http_request.user, service_request)
    if not form.is_valid():
        if form_shown:
            return render_request_detail(http_request, service_request, decline_form=form)
        return _refused(http_request, reference, _("The comment is too long."))
    try:
        transition(request=service_request, actor=http_request.user, comment=form.cleaned_data["comment"])
    except workflow.TransitionNotAllowed as error:
        if error.field in form.fields and form_shown:
            form.add_error(error.field, str(error))
            return render_request_detail(http_request, service_request, decline_form=form)
        return _refused(http_request, reference, str(error))
    messages.success(http_request, success % {"person": service_request.applicant, "reference": reference})
    return redirect("services:request_detail", reference=reference)


@never_cache
@login_required
@require_http_methods(["POST"])
def request_substitute_confirm_view(http_request: HttpRequest, reference: str) -> HttpResponse:
    """The named substitute confirms that they cover; the request then goes to the approvers."""
    return _substitute_answer(http_request, reference, transition=workflow.request_substitute_confirm, success=_(
        "Thank you: you have confirmed that you cover for %(person)s. The request %(reference)s now goes to the approvers."))


@never_cache
@login_required
@require_http_methods(["POST"])
def request_substitute_decline_view(http_request: HttpRequest, reference: str) -> HttpResponse:
    """The named substitute cannot cover; the request goes back to the applicant with the reason."""
    return _substitute_answer(http_request, reference, transition=workflow.request_substitute_decline, success=_(
        "You have declined. %(person)s has been told your reason and can name someone else."))


def _queue_filters(params, *, units) -> dict:
    """The queue's filters from the query string; a value that is not offered is ignored, except an unknown unit, which
    matches nothing rather than everything."""
    kind = params.get("kind") or None
    if registry.get(kind or "") is None:
        kind = None
    status = params.get("status") or None
    if status not in PENDING_DECISION_STATUSES:
        status = None
    unit_code = (params.get("unit") or "").strip()[:20] or None
    unit_path = None
    if unit_code:
        unit = next((unit for unit in units if unit.code == unit_code), None)
        if unit is not None:
            unit_path = unit.path
    try:
        older_than_days = max(int(params.get("age", "")), 0) or None
    except ValueError:
        older_than_days = None
    order = params.get("order") or selectors.QueueOrder.OLDEST
    if order not in selectors.QueueOrder.values:
        order = selectors.QueueOrder.OLDEST
    return {"kind": kind, "status": status, "unit_code": None if unit_path else unit_code, "unit_path": unit_path,
            "older_than_days": older_than_days, "order": order}


def _bulk_approve(http_request: HttpRequest, form: BulkApproveForm) -> None:
    """Approve each selected request the user may decide, each in its own transaction, and report the outcome.

    Each row of the queue sends the step it showed (`step-<reference>`): a request whose step someone else settled
    meanwhile is reported with who decided and when, as on the request's page.
    """
    user: User = http_request.user
    selected = form.cleaned_data["selected"]
    comment = form.cleaned_data["comment"]
    decidable = {item.reference: item for item in permissions.requests_decidable_by(user).filter(reference__in=selected)}
    approved, refused = [], []
    for reference in selected:
        item = decidable.get(reference)
        shown_step = step_number(http_request.POST.get(f"step-{reference}"))
        if item is None:
            refused.append((reference, _outpaced_reason(user, reference, shown_step)
                            or _("It is not in your queue (any more).")))
            continue
        try:
            workflow.request_decide(request=item, actor=user, decision="approve", comment=comment,
                                    expected_step=shown_step or item.current_step)
        except workflow.TransitionNotAllowed as error:
            refused.append((reference, str(error)))
        else:
            approved.append(reference)
    if approved:
        messages.success(http_request, ngettext(
            "%(count)d request approved: %(references)s.", "%(count)d requests approved: %(references)s.", len(approved),
        ) % {"count": len(approved), "references": ", ".join(approved)})
    for reference, reason in refused:
        messages.error(http_request, _("%(reference)s was not approved: %(reason)s") % {"reference": reference, "reason": reason})


def _outpaced_reason(user: User, reference: str, step: int | None) -> str | None:
    """Who settled the step the user saw, for the loser of a race; None for everyone else."""
    request = ServiceRequest.objects.filter(reference=reference).first()
    if request is None or step is None or not permissions.user_was_outpaced(user, request, step=step):
        return None
    return workflow.settled_message(request)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def queue(http_request: HttpRequest) -> HttpResponse:
    """Everything the logged-in person may decide now, oldest first, with filters and bulk approval."""
    if http_request.method == "POST":
        # Bulk approval decides many requests with one click: a second factor, and the password again.
        if refusal := mfa_setup_redirect(http_request):
            return refusal
        require_reauthentication(http_request)
        form = BulkApproveForm(http_request.POST)
        if form.is_valid():
            _bulk_approve(http_request, form)
            query = http_request.GET.urlencode()
            return redirect(f"{http_request.path}?{query}" if query else http_request.path)
    else:
        form = BulkApproveForm()
    user: User = http_request.user
    units = list(permissions.delegable_units(permissions.effective_grants(user)).only("pk", "code", "name", "path", "depth"))
    filters = _queue_filters(http_request.GET, units=units)
    paginator = CappedPaginator(selectors.queue_listing(user, **filters), 25)
    page = paginator.get_page(http_request.GET.get("page"))
    now = timezone.now()
    items = list(page.object_list)
    extras = registry.queue_context(items, user=user)
    rows = []
    for item in items:
        kind = registry.get(item.kind)
        rows.append({
            "item": item, "kind": kind, "step_count": len(kind.steps_for(item)) if kind else 1,
            "age_days": (now - item.submitted_at).days if item.submitted_at else 0,
            "extra": extras.get(item.pk, {}),
        })
    query = http_request.GET.copy()
    query.pop("page", None)
    narrowed = any(filters[name] for name in ("kind", "status", "unit_code", "unit_path", "older_than_days"))
    return private_response(render(http_request, "services/queue.html", {
        "page": page, "rows": rows, "filters": filters, "filter_query": query.urlencode(),
        # With nothing shown, whether the filters hid everything or there is nothing to decide at all.
        "narrowed_to_nothing": not rows and narrowed and permissions.requests_decidable_by(user).exists(),
        "mfa_missing": bool(rows) and not mfa_satisfied(http_request),
        # Not decisions, but the other thing colleagues wait for: a substitute's confirmation (services.workflow).
        "awaiting_confirmation": permissions.requests_awaiting_confirmation_by(user).select_related(
            "applicant", *registry.detail_relations()).order_by("submitted_at", "pk"),
        "bulk_form": form, "error_forms": [form] if form.is_bound and form.errors else [],
        "kinds": registry.decision_choices(), "orders": selectors.QueueOrder.choices,
        "units": [(unit.code, unit.path, f"{'– ' * (unit.depth - 1)}{unit.code} {unit.name}") for unit in units],
        "statuses": [(value, label) for value, label in RequestStatus.choices if value in PENDING_DECISION_STATUSES],
    }))


@never_cache
@login_required
@require_GET
def decided(http_request: HttpRequest) -> HttpResponse:
    """What the logged-in person decided, and what delegates and substitutes decided on their behalf, newest first.

    Always the person's own list: the filters narrow it, and a person who never decided on their behalf is no choice.
    """
    user: User = http_request.user
    form = DecidedFilterForm(http_request.GET or None, deciders=selectors.deciders_on_behalf_of(user),
                             kinds=registry.decision_choices(), outcomes=selectors.DecisionOutcome.choices,
                             decided_by_choices=selectors.DecidedBy.choices)
    valid = form.is_valid() if form.is_bound else True
    filters = form.filters() if form.is_bound and valid else {}
    events = selectors.decisions_of(user, **filters) if valid else selectors.decisions_of(user).none()
    page = CappedPaginator(events, 25).get_page(http_request.GET.get("page"))
    query = http_request.GET.copy()
    query.pop("page", None)
    return private_response(render(http_request, "services/decided.html", {
        "form": form, "error_forms": [form] if form.is_bound and form.errors else [], "page": page,
        "rows": [{"event": event, "kind": registry.get(event.request.kind)} for event in page.object_list],
        "filter_query": query.urlencode(), "narrowed": any(filters.values()),
    }))
