"""Views beside the Wagtail page tree."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from home import kummerkasten, phishing_warnings, selectors
from portal.http import private_response
from portal.mfa import mfa_setup_redirect
from services.kummerkasten.models import PostAuthor
from services.kummerkasten.selectors import get_message_for_handler_or_404, posts_for_handler
from services.phishing import permissions as phishing_permissions

RESULTS_PER_PAGE = 10


class FaqEntryForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Question, as it will be published"), max_length=200,
                               help_text=gettext_lazy("Edit out anything that could identify the writer or others."))
    answer = forms.CharField(label=gettext_lazy("Answer, as it will be published"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 8}))


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over guidance and service pages (`/search/?query=…`).

    Results depend on who asks (restricted pages), so a logged-in reader's results are never stored.
    """
    query = request.GET.get("query", "").strip()
    results = selectors.search_pages(request, query)
    results_page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    results_list = [page.specific_deferred for page in results_page.object_list]
    response = render(request, "home/search_results.html", {
        "search_query": query, "results_page": results_page, "results": results_list,
        "rows": [(page, page.search_description or getattr(page, "summary", "")) for page in results_list],
    })
    return private_response(response) if request.user.is_authenticated else response


class PhishingWarningForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the guidance page"), max_length=255)
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=300, required=False)
    advice = forms.CharField(label=gettext_lazy("What staff should do"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=gettext_lazy("One step a line. Addresses are defanged on the page."))
    alert_text = forms.CharField(label=gettext_lazy("Text of the site-wide alert"), max_length=300)
    alert_text_english = forms.CharField(label=gettext_lazy("Text of the alert in English"), max_length=300, required=False)
    alert_ends_at = forms.DateTimeField(label=gettext_lazy("Show the alert until"), required=False,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                        help_text=gettext_lazy("Leave empty to show it until the editors switch it off."))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def phishing_warning(request: HttpRequest, pk: int) -> HttpResponse:
    """IT security writes a warning for a phishing case: the guidance page and the alert go to the editors' approval."""
    case = phishing_permissions.get_case_for_user_or_404(request.user, pk)
    refusal = mfa_setup_redirect(request)
    if refusal is not None:
        return refusal
    form = PhishingWarningForm(request.POST or None, initial=phishing_warnings.warning_defaults(case, language="de"))
    if request.method == "POST" and form.is_valid():
        try:
            phishing_warnings.phishing_warning_submit(case=case, actor=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, error.messages[0] if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("The warning waits for the editors' approval; the site-wide alert goes up when"
                                        " the page is published."))
            return redirect("phishing:case_detail", pk=case.pk)
    return private_response(render(request, "home/phishing_warning.html", {"case": case, "form": form}))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def kummerkasten_faq_publish(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A handler edits a question and its answer and submits them to the FAQ page's editorial workflow."""
    message = get_message_for_handler_or_404(request.user, pk)
    refusal = mfa_setup_redirect(request)
    if refusal is not None:
        return refusal
    posts = list(posts_for_handler(message))
    first_question = next((post.text for post in posts if post.author == PostAuthor.WRITER), "")
    last_answer = next((post.text for post in reversed(posts) if post.author == PostAuthor.HANDLER), "")
    form = FaqEntryForm(request.POST or None, initial={"question": first_question[:200], "answer": last_answer})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                kummerkasten.kummerkasten_faq_entry_submit(message=message, handler=request.user, **form.cleaned_data)
            except kummerkasten.FaqPublishError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The entry was submitted to the editors for approval; it goes live once approved."))
                return redirect("kummerkasten:handling_detail", pk=message.pk)
        status = 400
    return private_response(render(request, "home/kummerkasten_faq_publish.html", {"message": message, "form": form}, status=status))
