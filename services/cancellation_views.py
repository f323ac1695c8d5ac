"""The applicant's "Cancel leave" page: whole or from a day on, decided by the leave's approvers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from services import permissions, workflow
from services.kinds.leave_cancellation import LeaveCancellation, LeaveCancellationForm
from services.views import private_response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def request_cancel_view(http_request: HttpRequest, reference: str) -> HttpResponse:
    service_request = permissions.get_request_for_user_or_404(http_request.user, reference)
    if not permissions.user_can_cancel_leave(http_request.user, service_request):
        messages.error(http_request, _("Only your own approved leave can be cancelled; this request is %(status)s.") % {
            "status": service_request.get_status_display()})
        return redirect("services:request_detail", reference=reference)
    form = LeaveCancellationForm(http_request.POST if http_request.method == "POST" else None, applicant=http_request.user,
                                 instance=LeaveCancellation(original=service_request))
    if http_request.method == "POST" and form.is_valid():
        try:
            cancellation = workflow.request_cancel(request=service_request, actor=http_request.user,
                                                   from_date=form.cleaned_data.get("from_date"),
                                                   comment=form.cleaned_data.get("reason", ""))
        except workflow.TransitionNotAllowed as error:
            messages.error(http_request, str(error))
            return redirect("services:request_detail", reference=reference)
        messages.success(http_request, _("Your cancellation %(reference)s has been submitted. The leave stays approved until it is "
                                         "decided.") % {"reference": cancellation.reference})
        return redirect("services:request_detail", reference=cancellation.reference)
    return private_response(render(http_request, "services/request_cancel.html", {
        "service_request": service_request, "details": service_request.details, "form": form,
        "error_forms": [form] if form.is_bound and form.errors else [],
    }))
