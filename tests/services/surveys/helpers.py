import datetime

from django.utils import timezone

from services.surveys.models import Survey, SurveyCategory
from services.surveys.services import survey_rounds_schedule


def survey_with_open_round(*, free_text: bool = True, rounds: int = 2, weeks_ago: int = 0) -> Survey:
    """A survey of two categories whose first round opened today (or `weeks_ago` weeks ago), every two weeks."""
    survey = Survey.objects.create(
        title="Wie geht es Ihnen?", first_round_opens_on=timezone.localdate() - datetime.timedelta(weeks=weeks_ago),
        round_every_days=14, round_open_days=14, round_count=rounds,
        free_text_question="Was möchten Sie uns noch sagen?" if free_text else "")
    SurveyCategory.objects.create(survey=survey, name="Arbeitsbelastung", question="Wie gut ist Ihre Arbeitsbelastung zu bewältigen?")
    SurveyCategory.objects.create(survey=survey, name="Ausstattung", question="Wie gut ist Ihre Ausstattung?")
    survey_rounds_schedule(survey=survey)
    return survey


def scores_for(survey: Survey, value: int = 4) -> dict[int, int]:
    return {category.pk: value for category in survey.categories.all()}
