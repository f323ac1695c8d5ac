"""Answering once per round, refusing replays and late answers, closing a round, and the results it allows."""

import datetime

import pytest

from services.surveys import selectors
from services.surveys.models import FreeTextStatus, SurveyAnswer, SurveyParticipation
from services.surveys.services import SurveyAnswerRefused, survey_answer_submit, survey_free_text_redact, survey_round_close
from tests.factories import OrgUnitFactory, UserFactory, grant_responsibility, logged_in_client
from tests.services.surveys.helpers import scores_for, survey_with_open_round


def _answer_form(survey, value: str = "3", text: str = "") -> dict:
    return {f"category_{category.pk}": value for category in survey.categories.all()} | {"free_text": text}


def test_a_replayed_answer_is_refused_and_counted_once(unit):
    survey = survey_with_open_round()
    anna = UserFactory(unit=unit)
    client = logged_in_client(anna, mfa=False, reauthenticated=False)
    survey_round = survey.rounds.get(number=1)
    assert client.post(f"/surveys/rounds/{survey_round.pk}/", _answer_form(survey)).status_code == 302
    replay = client.post(f"/surveys/rounds/{survey_round.pk}/", _answer_form(survey, "1"))
    assert replay.status_code == 409
    assert "schon geantwortet" in replay.content.decode()
    assert SurveyParticipation.objects.count() == 1
    assert survey_round_close(survey_round=survey_round, today=survey_round.last_day + datetime.timedelta(days=1)) == 1
    assert SurveyAnswer.objects.get().scores == {str(category.pk): 3 for category in survey.categories.all()}


def test_an_answer_after_the_round_closed_is_refused_and_nothing_is_saved(unit):
    survey = survey_with_open_round()
    survey_round = survey.rounds.get(number=1)
    with pytest.raises(SurveyAnswerRefused) as refused:
        survey_answer_submit(survey_round=survey_round, user=UserFactory(unit=unit), scores=scores_for(survey),
                             today=survey_round.last_day + datetime.timedelta(days=1))
    assert refused.value.reason == "closed"
    assert not SurveyParticipation.objects.exists()
    survey_round_close(survey_round=survey_round, today=survey_round.last_day + datetime.timedelta(days=1))
    client = logged_in_client(UserFactory(unit=unit), mfa=False, reauthenticated=False)
    response = client.post(f"/surveys/rounds/{survey_round.pk}/", _answer_form(survey))
    assert response.status_code == 409 and "Runde ist geschlossen" in response.content.decode()
    assert not SurveyParticipation.objects.exists()


def test_an_incomplete_or_out_of_scale_answer_is_refused_with_a_message(unit):
    survey = survey_with_open_round()
    client = logged_in_client(UserFactory(unit=unit), mfa=False, reauthenticated=False)
    survey_round = survey.rounds.get(number=1)
    response = client.post(f"/surveys/rounds/{survey_round.pk}/", _answer_form(survey, "7"))
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not SurveyParticipation.objects.exists()


def test_a_round_is_not_open_before_its_first_day(unit):
    survey = survey_with_open_round()
    later = survey.rounds.get(number=2)
    with pytest.raises(SurveyAnswerRefused) as refused:
        survey_answer_submit(survey_round=later, user=UserFactory(unit=unit), scores=scores_for(survey))
    assert refused.value.reason == "not_open"


def _closed_round_with(survey, counts: dict, text: str = ""):
    survey_round = survey.rounds.get(number=1)
    for target_unit, count in counts.items():
        for _index in range(count):
            survey_answer_submit(survey_round=survey_round, user=UserFactory(unit=target_unit), scores=scores_for(survey, 4),
                                 free_text=text)
    survey_round_close(survey_round=survey_round, today=survey_round.last_day + datetime.timedelta(days=1))
    return survey_round


def test_results_show_a_unit_above_k_and_suppress_one_below_and_one_revealed_by_difference(unit, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 5
    survey = survey_with_open_round()
    big = OrgUnitFactory(parent=unit, code="32.1", name="Verkehrsüberwachung")
    small = OrgUnitFactory(parent=unit, code="32.2", name="Gewerbeangelegenheiten")
    _closed_round_with(survey, {big: 6, small: 2})
    reader = grant_responsibility(UserFactory(), unit.get_root(), "view_survey_results")
    results = selectors.survey_results(survey, reader)
    shown = {item.unit.code for item in results.units}
    # The Ordnungsamt has 8 (as has the city: a difference of 0 reveals nobody); the Gewerbeangelegenheiten's 2 are
    # below k, and the Verkehrsüberwachung's 6 beside the Ordnungsamt's 8 would reveal those 2 by difference.
    assert shown == {"STADT", "32"}
    assert {"32.1", "32.2"} <= {item.unit.code for item in results.units_without_results}
    page = logged_in_client(reader).get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "Gewerbeangelegenheiten" in page and "<svg" in page and "<table" in page


def test_a_survey_with_one_respondent_shows_no_result(unit):
    survey = survey_with_open_round()
    _closed_round_with(survey, {unit: 1})
    reader = grant_responsibility(UserFactory(), unit.get_root(), "view_survey_results")
    results = selectors.survey_results(survey, reader)
    assert results.units == []
    assert "kern-table" not in logged_in_client(reader).get(f"/surveys/{survey.pk}/results/").content.decode()


def test_participation_is_not_shown_while_a_round_runs(unit):
    survey = survey_with_open_round()
    for _index in range(6):
        survey_answer_submit(survey_round=survey.rounds.get(number=1), user=UserFactory(unit=unit), scores=scores_for(survey))
    reader = grant_responsibility(UserFactory(), unit.get_root(), "view_survey_results")
    assert selectors.survey_results(survey, reader).rounds == []
    assert not SurveyAnswer.objects.exists()


def test_free_text_is_shown_only_after_redaction_and_only_for_shown_groups(unit):
    survey = survey_with_open_round()
    _closed_round_with(survey, {unit: 5}, text="Herr Meier plant zu viele Termine.")
    reader = grant_responsibility(UserFactory(), unit.get_root(), "view_survey_results")
    handler = grant_responsibility(UserFactory(), unit.get_root(), "redact_survey_free_text")
    assert not any(item.free_texts for row in selectors.survey_results(survey, reader).units for item in row.rounds)
    assert selectors.free_texts_for_handler(reader).count() == 0
    pending = list(selectors.free_texts_for_handler(handler))
    assert len(pending) == 5
    survey_free_text_redact(answer=pending[0], actor=handler, text="[Name] plant zu viele Termine.", release=True)
    survey_free_text_redact(answer=pending[1], actor=handler, text="", release=False)
    texts = [text for row in selectors.survey_results(survey, reader).units for item in row.rounds for text in item.free_texts]
    assert texts and set(texts) == {"[Name] plant zu viele Termine."}
    assert not SurveyAnswer.objects.filter(free_text__contains="Meier", free_text_status=FreeTextStatus.RELEASED).exists()


def test_people_without_the_responsibility_find_no_results(unit):
    survey = survey_with_open_round()
    _closed_round_with(survey, {unit: 5})
    assert logged_in_client(UserFactory(unit=unit)).get(f"/surveys/{survey.pk}/results/").status_code == 404
