"""The applicant's pages: filing a kind's form, my requests, one request, withdraw, edit and resubmit, downloads.

Views stay thin: they fetch through services.permissions, validate with forms and hand every change
to services.workflow. What a kind shows beside its form or on its request page, the kind's entry
says (services.kinds.base.RequestKind.form_context, detail_context).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.http import private_response
from portal.mfa import mfa_satisfied
from portal.models import User
from services import permissions, questions, selectors, workflow
from services.forms import AttachmentForm, CommentForm, DecisionForm, ForwardForm, SubstituteDeclineForm, draft_data_from_post
from services.kinds import RequestKind, registry
from services.models import ServiceRequest
from services.statuses import RequestStatus


def process_request_form(http_request: HttpRequest, *, kind: RequestKind, service_page=None,
                         target: ServiceRequest | None = None, template: str, context: dict) -> HttpResponse:
    """Show, check, save as draft, or submit the form of one kind for the logged-in applicant.

    `target` is the applicant's draft being continued, or their request sent back for changes.
    """
    user: User = http_request.user
    details = target.details if target is not None and target.status != RequestStatus.DRAFT else None
    initial = target.draft_data if target is not None and target.status == RequestStatus.DRAFT else None
    action = http_request.POST.get("action", "submit") if http_request.method == "POST" else None
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
        "error_forms": [f for f in (form, extra_form, attachment_form) if f.is_bound and f.errors],
        **kind.form_context(http_request, form, target=target),
    })
    return private_response(response)


def _attachment_form(http_request: HttpRequest, kind: RequestKind) -> AttachmentForm:
    """Files only count for kinds that take attachments; a kind without the field ignores any sent anyway."""
    return AttachmentForm(http_request.POST, http_request.FILES if kind.accepts_attachments else None)


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


def request_for_decider_or_404(http_request: HttpRequest, reference: str, *, step: int | None,
                               status: int = 409) -> ServiceRequest | HttpResponse:
    """The request, if the person may see it; for the loser of a race (someone else settled the step `step` they held,
    seen in the queue or on the request's page) a page saying who decided and when; a 404 for everyone else."""
    try:
        return permissions.get_request_for_user_or_404(http_request.user, reference)
    except Http404:
        request = ServiceRequest.objects.filter(reference=reference).first()
        if request is None or step is None or not permissions.user_was_outpaced(http_request.user, request, step=step):
            raise
    return private_response(render(http_request, "services/already_decided.html", {
        "reference": reference, "message": workflow.settled_message(request)}, status=status))


def step_number(value: str | None) -> int | None:
    """The step a page was showing (a form's `expected_step`, a queue link's `?step=`), or None."""
    try:
        return int(value or "")
    except ValueError:
        return None


@never_cache
@login_required
def request_detail(http_request: HttpRequest, reference: str) -> HttpResponse:
    """One request's page; opened from the queue (`?step=`) after someone else decided it, who decided and when."""
    service_request = request_for_decider_or_404(http_request, reference, step=step_number(http_request.GET.get("step")),
                                                 status=200)
    if isinstance(service_request, HttpResponse):
        return service_request
    return render_request_detail(http_request, service_request)


def render_request_detail(http_request: HttpRequest, service_request: ServiceRequest, *,
                          decision_form: DecisionForm | None = None, forward_form: ForwardForm | None = None,
                          decline_form: SubstituteDeclineForm | None = None) -> HttpResponse:
    """The request's page; the approver's and the substitute's forms come bound, with their errors, when a
    submission of one of them was refused (the page is then shown again instead of redirecting)."""
    forms = {"decision_form": decision_form or DecisionForm(), "forward_form": forward_form or ForwardForm(),
             "decline_form": decline_form or SubstituteDeclineForm()}
    kind = registry.get(service_request.kind)
    attachments = list(service_request.attachments.all())
    # The answers to the extra questions, from the snapshot kept with the request; files given as answers
    # are shown there and not again among the attachments.
    answers = questions.answer_display(service_request, attachments)
    # Asked once: what the person may decide here, and whether that lets them forward it.
    authority = permissions.decision_authority(http_request.user, service_request)
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
        "authority": authority,
        "may_forward": permissions.may_forward_under(http_request.user, authority),
        # Whoever may decide needs a second factor first (portal.mfa): the page says so instead of the buttons.
        "mfa_missing": authority is not None and not mfa_satisfied(http_request),
        "can_answer_as_substitute": permissions.user_can_answer_as_substitute(http_request.user, service_request),
        **forms,
        "error_forms": [form for form in forms.values() if form.is_bound and form.errors],
        **(kind.detail_context(http_request, service_request) if kind else {}),
    }))


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


@login_required
@require_GET
def attachment_download(http_request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    attachment = get_object_or_404(service_request.attachments, pk=attachment_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)
