"""The pulse survey pages: the open rounds, the answer form, the results and the handlers' redaction list.

Results are for whoever holds "See pulse survey results" on a unit (unit heads for their subtree, HR and the
staff council for the whole city): everyone else finds no such page (404), as with every foreign object.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.http import private_response
from portal.security_log import security_event
from services.surveys import charts, selectors, services
from services.surveys.forms import FreeTextRedactionForm, SurveyAnswerForm
from services.surveys.models import Survey, SurveyAnswer, SurveyRound

PARTICIPATION_REFUSALS = frozenset({"replayed", "closed", "not_open", "not_eligible"})


@never_cache
@login_required
@require_GET
def survey_list(http_request: HttpRequest) -> HttpResponse:
    return private_response(render(http_request, "services/surveys/list.html", {
        "open_rounds": selectors.rounds_open_for(http_request.user),
        "surveys_with_results": selectors.surveys_with_results_for(http_request.user),
        "may_redact": bool(selectors.responsibility_paths(http_request.user, selectors.REDACTION_RESPONSIBILITY)),
    }))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(http_request: HttpRequest, round_id: int) -> HttpResponse:
    """Answer one round. A round that is over, not yet open or already answered says so instead of the form."""
    survey_round = get_object_or_404(SurveyRound.objects.select_related("survey"), pk=round_id)
    k = selectors.minimum_group_size()
    form = SurveyAnswerForm(http_request.POST or None, survey=survey_round.survey, k=k)
    refusal = None
    if http_request.method == "POST" and form.is_valid():
        try:
            services.survey_answer_submit(survey_round=survey_round, user=http_request.user, scores=form.scores(),
                                          free_text=form.cleaned_data.get("free_text", ""))
        except services.SurveyAnswerRefused as refused:
            if refused.reason in PARTICIPATION_REFUSALS:
                # Logged: a replay or a late answer, about taking part only — nothing answered is ever logged.
                security_event("survey_answer_refused", request=http_request, survey=survey_round.survey_id,
                               round=survey_round.number, reason=refused.reason)
                refusal = str(refused)
            else:
                form.add_error(None, str(refused))
        else:
            messages.success(http_request, _("Thank you. Your answer was saved without your name; it counts once the round has closed."))
            return redirect("surveys:list")
    today = timezone.localdate()
    answered = survey_round.participations.filter(user=http_request.user).exists()
    if refusal is None and http_request.method == "GET":
        if answered:
            refusal = _("You have already answered this round. Each person answers once per round.")
        elif survey_round.closed or today > survey_round.last_day:
            refusal = _("This round has closed; answers are no longer taken.")
        elif today < survey_round.opens_on:
            refusal = _("This round has not opened yet.")
        elif http_request.user.unit_id is None:
            refusal = _("Only members of staff who belong to a unit take part in pulse surveys.")
    status = 200 if refusal is None or http_request.method == "GET" else 409
    return private_response(render(http_request, "services/surveys/answer.html", {
        "survey_round": survey_round, "survey": survey_round.survey, "form": form, "refusal": refusal, "k": k,
    }, status=status))


@never_cache
@login_required
@require_GET
def survey_results(http_request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    results = selectors.survey_results(survey, http_request.user)
    if results is None:
        security_event("access_refused", request=http_request, object="survey_results", survey=survey.pk, reason="not responsible")
        raise Http404
    for item in results.units:
        item.chart = charts.trend_chart(item, results.categories)
    return private_response(render(http_request, "services/surveys/results.html", {"results": results}))


@never_cache
@login_required
@require_GET
def free_text_list(http_request: HttpRequest) -> HttpResponse:
    if not selectors.responsibility_paths(http_request.user, selectors.REDACTION_RESPONSIBILITY):
        raise Http404
    answers = selectors.free_texts_for_handler(http_request.user).order_by("round__survey__title", "round__number", "pk")
    return private_response(render(http_request, "services/surveys/free_texts.html", {
        "items": [(answer, FreeTextRedactionForm(initial={"text": answer.free_text, "decision": "release"}, prefix=str(answer.pk)))
                  for answer in answers[:50]],
    }))


@never_cache
@login_required
@require_POST
def free_text_redact(http_request: HttpRequest, answer_id: uuid.UUID) -> HttpResponse:
    answer = selectors.free_texts_for_handler(http_request.user).filter(pk=answer_id).first()
    if answer is None:
        raise Http404
    form = FreeTextRedactionForm(http_request.POST, prefix=str(answer.pk))
    if form.is_valid():
        try:
            services.survey_free_text_redact(answer=answer, actor=http_request.user, text=form.cleaned_data["text"],
                                             release=form.cleaned_data["decision"] == "release")
        except services.SurveyAnswerRefused as refused:
            messages.error(http_request, str(refused))
        except SurveyAnswer.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(http_request, _("The free text was released.") if form.cleaned_data["decision"] == "release"
                             else _("The free text was withheld."))
    else:
        messages.error(http_request, _("Please choose whether to release or withhold the text."))
    return redirect("surveys:free_texts")
