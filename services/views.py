"""Views of the applicant's side: my requests, one request, withdraw, edit and resubmit, downloads.

Views stay thin: they fetch through services.permissions, validate with forms and hand every change
to services.workflow.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.models import User
from services import permissions, questions, selectors, workflow
from services.forms import AttachmentForm, CommentForm, draft_data_from_post
from services.kinds import RequestKind, registry
from services.kinds.leave import LeaveType
from services.leave_balance_views import leave_balance_context, leave_form_balance_context, leave_working_days_payload
from services.models import PENDING_DECISION_STATUSES, RequestStatus, ServiceRequest


def private_response(response: HttpResponse) -> HttpResponse:
    """Pages with forms or personal data must never be stored by a browser or proxy."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def process_request_form(http_request: HttpRequest, *, kind: RequestKind, service_page=None,
                         target: ServiceRequest | None = None, template: str, context: dict) -> HttpResponse:
    """Show, check, save as draft, or submit the form of one kind for the logged-in applicant.

    `target` is the applicant's draft being continued, or their request sent back for changes.
    """
    user: User = http_request.user
    details = target.details if target is not None and target.status != RequestStatus.DRAFT else None
    initial = target.draft_data if target is not None and target.status == RequestStatus.DRAFT else None
    action = http_request.POST.get("action", "submit") if http_request.method == "POST" else None
    working_days: Decimal | None = None
    # The editors' extra questions: the page's current ones, or for a request sent back for changes the
    # ones it was asked (with its answers), so that a resubmission answers the same questions.
    if details is not None:
        asked, previous = questions.snapshot_questions(target.extra_answers), questions.snapshot_answers(target.extra_answers)
    else:
        asked, previous = questions.page_questions(service_page), {}
    draft_answers = (initial or {}).get(questions.DRAFT_KEY)
    extra_initial = draft_answers if isinstance(draft_answers, dict) else None

    if action is None:
        form = kind.form_class(applicant=user, instance=details, initial=initial)
        extra_form = questions.QuestionForm(questions=asked, previous=previous, initial=extra_initial)
        attachment_form = AttachmentForm()
    elif action == "save_draft" and (target is None or target.status == RequestStatus.DRAFT):
        form = kind.form_class(applicant=user)
        extra_form = questions.QuestionForm(questions=asked)
        attachment_form = _attachment_form(http_request, kind)
        data = {**draft_data_from_post(form, http_request.POST),
                questions.DRAFT_KEY: draft_data_from_post(extra_form, http_request.POST)}
        if attachment_form.is_valid():
            try:
                draft = workflow.request_save_draft(
                    applicant=user, kind=kind, data=data,
                    service_page=service_page, draft=target, files=attachment_form.uploaded_files(),
                )
            except workflow.TransitionNotAllowed as error:
                messages.error(http_request, str(error))
                return redirect("services:my_requests")
            messages.success(http_request, _("Your draft %(reference)s has been saved. You can continue it at any time.") % {
                "reference": draft.reference})
            return redirect("services:request_detail", reference=draft.reference)
        form = kind.form_class(applicant=user, initial=data)
        extra_form = questions.QuestionForm(questions=asked, initial=data[questions.DRAFT_KEY])
    else:
        form = kind.form_class(http_request.POST, applicant=user, instance=details)
        extra_form = questions.QuestionForm(http_request.POST, http_request.FILES, questions=asked, previous=previous)
        attachment_form = _attachment_form(http_request, kind)
        forms_valid = form.is_valid() & extra_form.is_valid() & attachment_form.is_valid()
        working_days = form.working_days() if hasattr(form, "working_days") and form.is_valid() else None
        if (forms_valid and getattr(form, "attachment_required", None) and form.attachment_required()
                and not attachment_form.uploaded_files() and not (target is not None and target.attachments.exists())):
            attachment_form.add_error("attachment", _("Attach the proof this type of leave needs, e.g. a certificate."))
            forms_valid = False
        if forms_valid and action == "submit":
            try:
                if target is not None and target.status == RequestStatus.CHANGES_REQUESTED:
                    saved = workflow.request_resubmit(request=target, actor=user, details=form.save(commit=False),
                                                      files=attachment_form.uploaded_files(), extra_answers=extra_form.answers(),
                                                      extra_files=extra_form.uploaded_files())
                else:
                    saved = workflow.request_submit(applicant=user, kind=kind, details=form.save(commit=False),
                                                    service_page=service_page, draft=target, files=attachment_form.uploaded_files(),
                                                    extra_answers=extra_form.answers(), extra_files=extra_form.uploaded_files())
            except workflow.TransitionNotAllowed as error:
                messages.error(http_request, str(error))
                return redirect("services:my_requests")
            messages.success(http_request, _("Your request %(reference)s has been submitted.") % {"reference": saved.reference})
            return redirect("services:request_detail", reference=saved.reference)

    response = render(http_request, template, {
        **context,
        "kind": kind,
        "form": form,
        "extra_form": extra_form,
        "attachment_form": attachment_form if kind.accepts_attachments else None,
        "target": target,
        "working_days": working_days,
        "error_forms": [f for f in (form, extra_form, attachment_form) if f.is_bound and f.errors],
        "substitute_options": _substitute_options(user) if kind.slug == "leave" else (),
        **(leave_form_balance_context(user, form, target=target) if kind.slug == "leave" else {}),
    })
    return private_response(response)


def _attachment_form(http_request: HttpRequest, kind: RequestKind) -> AttachmentForm:
    """Files only count for kinds that take attachments; a kind without the field ignores any sent anyway."""
    return AttachmentForm(http_request.POST, http_request.FILES if kind.accepts_attachments else None)


def _substitute_options(user: User):
    if user.unit_id is None:
        return User.objects.none()
    return User.objects.filter(unit_id=user.unit_id, is_active=True).exclude(pk=user.pk).only("email", "first_name", "last_name")


@never_cache
@login_required
def my_requests(http_request: HttpRequest) -> HttpResponse:
    status = http_request.GET.get("status") or None
    if status not in RequestStatus.values:
        status = None
    paginator = Paginator(selectors.requests_of_applicant(http_request.user, status=status), 25)
    page = paginator.get_page(http_request.GET.get("page"))
    rows = [(item, registry.get(item.kind)) for item in page.object_list]
    return private_response(render(http_request, "services/my_requests.html", {
        "page": page, "rows": rows, "status": status, "statuses": RequestStatus.choices,
    }))


@never_cache
@login_required
def request_detail(http_request: HttpRequest, reference: str) -> HttpResponse:
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    kind = registry.get(service_request.kind)
    attachments = list(service_request.attachments.all())
    # The answers to the extra questions, from the snapshot kept with the request; files given as answers
    # are shown there and not again among the attachments.
    answers = questions.answer_display(service_request, attachments)
    return private_response(render(http_request, "services/request_detail.html", {
        "service_request": service_request,
        "kind": kind,
        "details": service_request.details,
        # The page the request was filed on, in the reader's language where a translation exists.
        "service_page": service_request.service_page.localized.specific if service_request.service_page else None,
        "timeline": selectors.request_timeline(service_request),
        "attachments": [attachment for attachment in attachments if attachment.pk not in answers.attachment_ids],
        "extra_answers": answers.rows,
        "can_withdraw": permissions.user_can_withdraw(http_request.user, service_request),
        "can_edit": permissions.user_can_edit(http_request.user, service_request),
        "can_discard": permissions.user_can_discard(http_request.user, service_request),
        "authority": permissions.decision_authority(http_request.user, service_request),
        "can_answer_as_substitute": permissions.user_can_answer_as_substitute(http_request.user, service_request),
        **_leave_context(http_request.user, service_request),
        **leave_balance_context(http_request.user, service_request),
    }))


def _leave_context(user: User, service_request: ServiceRequest) -> dict:
    """For leave: the approver's warning about days on which too much of the unit is away, and cancelling."""
    if service_request.kind != "leave":
        return {}
    context = {"can_cancel_leave": permissions.user_can_cancel_leave(user, service_request)}
    if context["can_cancel_leave"]:
        context["open_cancellation"] = selectors.open_cancellation_of(service_request)
    if service_request.status in PENDING_DECISION_STATUSES and permissions.decision_authority(user, service_request):
        context["crowded_days"] = selectors.crowded_absence_days(request=service_request,
                                                                 share=settings.TEAM_ABSENCE_WARNING_SHARE)
        context["absence_warning_share"] = round(settings.TEAM_ABSENCE_WARNING_SHARE * 100)
    return context


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def request_withdraw(http_request: HttpRequest, reference: str) -> HttpResponse:
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    form = CommentForm(http_request.POST if http_request.method == "POST" else None)
    if http_request.method == "POST" and form.is_valid():
        try:
            workflow.request_withdraw(request=service_request, actor=http_request.user, comment=form.cleaned_data["comment"])
        except workflow.TransitionNotAllowed as error:
            messages.error(http_request, str(error))
        else:
            messages.success(http_request, _("Your request %(reference)s has been withdrawn.") % {"reference": reference})
        return redirect("services:request_detail", reference=reference)
    if not permissions.user_can_withdraw(http_request.user, service_request):
        messages.error(http_request, _("This request can no longer be withdrawn: it is %(status)s.") % {
            "status": service_request.get_status_display()})
        return redirect("services:request_detail", reference=reference)
    return private_response(render(http_request, "services/request_withdraw.html", {
        "service_request": service_request, "form": form}))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def request_edit(http_request: HttpRequest, reference: str) -> HttpResponse:
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    kind = registry.get(service_request.kind)
    if kind is None:
        raise Http404("Unknown kind.")
    if not permissions.user_can_edit(http_request.user, service_request):
        messages.error(http_request, _("This request can no longer be changed: it is %(status)s.") % {
            "status": service_request.get_status_display()})
        return redirect("services:request_detail", reference=reference)
    return process_request_form(
        http_request, kind=kind, service_page=service_request.service_page, target=service_request,
        template="services/request_edit.html", context={"service_request": service_request},
    )


@never_cache
@login_required
@require_http_methods(["POST"])
def request_discard(http_request: HttpRequest, reference: str) -> HttpResponse:
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    try:
        workflow.request_discard_draft(request=service_request, actor=http_request.user)
    except workflow.TransitionNotAllowed as error:
        messages.error(http_request, str(error))
        return redirect("services:request_detail", reference=reference)
    messages.success(http_request, _("The draft %(reference)s has been deleted.") % {"reference": reference})
    return redirect("services:my_requests")


def _expected_step(http_request: HttpRequest) -> int | None:
    try:
        return int(http_request.POST.get("expected_step", ""))
    except ValueError:
        return None


@never_cache
@login_required
@require_http_methods(["POST"])
def request_decide_view(http_request: HttpRequest, reference: str) -> HttpResponse:
    """Approve, reject or send back the current step; refused if the step moved on since the page was shown."""
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    decision = http_request.POST.get("decision", "")
    expected_step = _expected_step(http_request)
    if expected_step is None:
        messages.error(http_request, _("The form was incomplete. Please reload the page and try again."))
        return redirect("services:request_detail", reference=reference)
    form = CommentForm(http_request.POST)
    if not form.is_valid():
        messages.error(http_request, _("The comment is too long."))
        return redirect("services:request_detail", reference=reference)
    comment = form.cleaned_data["comment"]
    try:
        workflow.request_decide(request=service_request, actor=http_request.user, decision=decision,
                                comment=comment, expected_step=expected_step)
    except workflow.TransitionNotAllowed as error:
        messages.error(http_request, str(error))
        return redirect("services:request_detail", reference=reference)
    messages.success(http_request, _("Your decision on %(reference)s has been saved.") % {"reference": reference})
    return redirect("queue")


@never_cache
@login_required
@require_http_methods(["POST"])
def request_forward_view(http_request: HttpRequest, reference: str) -> HttpResponse:
    """Pass one case to a colleague named by email address."""
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    email = http_request.POST.get("email", "").strip()
    colleague = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if colleague is None:
        messages.error(http_request, _("No active colleague has this email address."))
        return redirect("services:request_detail", reference=reference)
    form = CommentForm(http_request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        workflow.request_forward(request=service_request, actor=http_request.user, to=colleague, comment=comment,
                                 expected_step=_expected_step(http_request))
    except workflow.TransitionNotAllowed as error:
        messages.error(http_request, str(error))
        return redirect("services:request_detail", reference=reference)
    messages.success(http_request, _("Request %(reference)s has been forwarded to %(person)s.") % {
        "reference": reference, "person": colleague})
    return redirect("queue")


def _substitute_answer(http_request: HttpRequest, reference: str, *, transition, success: str) -> HttpResponse:
    """Run the substitute's confirm or decline with the optional comment; the message says what happened."""
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    form = CommentForm(http_request.POST)
    if not form.is_valid():
        messages.error(http_request, _("The comment is too long."))
        return redirect("services:request_detail", reference=reference)
    try:
        transition(request=service_request, actor=http_request.user, comment=form.cleaned_data["comment"])
    except workflow.TransitionNotAllowed as error:
        messages.error(http_request, str(error))
        return redirect("services:request_detail", reference=reference)
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


def _queue_filters(params) -> dict:
    kind = params.get("kind") or None
    if registry.get(kind or "") is None:
        kind = None
    status = params.get("status") or None
    if status not in PENDING_DECISION_STATUSES:
        status = None
    unit_code = (params.get("unit") or "").strip()[:20] or None
    try:
        older_than_days = max(int(params.get("age", "")), 0) or None
    except ValueError:
        older_than_days = None
    return {"kind": kind, "status": status, "unit_code": unit_code, "older_than_days": older_than_days}


def _bulk_approve(http_request: HttpRequest) -> None:
    """Approve each selected request the user may decide, each in its own transaction, and report the outcome."""
    user: User = http_request.user
    selected = list(dict.fromkeys(ref for ref in http_request.POST.getlist("selected") if ref))[:100]
    form = CommentForm(http_request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    if not selected:
        messages.error(http_request, _("Select at least one request to approve."))
        return
    decidable = {item.reference: item for item in permissions.requests_decidable_by(user).filter(reference__in=selected)}
    approved, refused = [], []
    for reference in selected:
        item = decidable.get(reference)
        if item is None:
            refused.append((reference, _("It is not in your queue (any more).")))
            continue
        try:
            workflow.request_decide(request=item, actor=user, decision="approve", comment=comment,
                                    expected_step=item.current_step)
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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def queue(http_request: HttpRequest) -> HttpResponse:
    """Everything the logged-in person may decide now, oldest first, with filters and bulk approval."""
    if http_request.method == "POST":
        _bulk_approve(http_request)
        query = http_request.GET.urlencode()
        return redirect(f"{http_request.path}?{query}" if query else http_request.path)
    filters = _queue_filters(http_request.GET)
    paginator = Paginator(selectors.queue_for(http_request.user, **filters), 25)
    page = paginator.get_page(http_request.GET.get("page"))
    now = timezone.now()
    rows = []
    for item in page.object_list:
        kind = registry.get(item.kind)
        rows.append({
            "item": item, "kind": kind, "step_count": len(kind.steps_for(item)) if kind else 1,
            "age_days": (now - item.submitted_at).days if item.submitted_at else 0,
        })
    query = http_request.GET.copy()
    query.pop("page", None)
    return private_response(render(http_request, "services/queue.html", {
        "page": page, "rows": rows, "filters": filters, "filter_query": query.urlencode(),
        # Not decisions, but the other thing colleagues wait for: a substitute's confirmation (services.workflow).
        "awaiting_confirmation": permissions.requests_awaiting_confirmation_by(http_request.user).select_related(
            "applicant", "leave__leave_type").order_by("submitted_at", "pk"),
        "kinds": registry.choices(),
        "statuses": [(value, label) for value, label in RequestStatus.choices if value in PENDING_DECISION_STATUSES],
    }))


@login_required
@require_GET
def attachment_download(http_request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    attachment = get_object_or_404(service_request.attachments, pk=attachment_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)


@login_required
@require_GET
def leave_working_days(http_request: HttpRequest) -> JsonResponse:
    """The working-day count the leave form shows while dates are picked."""
    try:
        start = datetime.date.fromisoformat(http_request.GET.get("start", ""))
        end = datetime.date.fromisoformat(http_request.GET.get("end", ""))
    except ValueError:
        return JsonResponse({"error": _("Enter valid dates.")}, status=400)
    if end < start or (end - start).days + 1 > settings.REQUEST_MAX_SPAN_DAYS:
        return JsonResponse({"error": _("The end must not be before the start, and the period at most a year.")}, status=400)
    leave_type = LeaveType.objects.filter(pk=http_request.GET.get("leave_type") or None).first() \
        if (http_request.GET.get("leave_type") or "").isdigit() else None
    return JsonResponse(leave_working_days_payload(
        employee=http_request.user, start=start, end=end, leave_type=leave_type,
        half_day_start=http_request.GET.get("half_day_start") == "true", half_day_end=http_request.GET.get("half_day_end") == "true",
        exclude_request_id=_own_leave_request_id(http_request),
    ))


def _own_leave_request_id(http_request: HttpRequest) -> int | None:
    """The applicant's own request being changed (?request=<reference>), so that its days are not counted twice."""
    reference = http_request.GET.get("request", "")
    if not reference:
        return None
    return ServiceRequest.objects.filter(reference=reference, applicant=http_request.user, kind="leave").values_list(
        "pk", flat=True).first()
