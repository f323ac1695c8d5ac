"""The demo's pulse survey: three closed rounds with results, and the current round, which Anna has not answered yet.

The answers of the closed rounds come from the Ordnungsamt: enough in the office as a whole for its results to
show, and two in one of its sections, whose results stay suppressed. Bernd Keller reads the Ordnungsamt's results,
the first person of the Personalamt those of the whole city and redacts the free texts (for the staff council).
"""

import datetime

from portal.models import OrgUnit, User
from services.delegation import services as delegation_services
from services.surveys.models import Survey, SurveyCategory
from services.surveys.services import survey_answer_submit, survey_round_close, survey_rounds_schedule

SURVEY_TITLE = "Wie geht es Ihnen? – Pulsbefragung"
CATEGORIES = (
    ("Arbeitsbelastung", "Wie gut ist Ihre Arbeitsbelastung derzeit zu bewältigen?"),
    ("Ausstattung", "Wie gut sind Sie für Ihre Arbeit ausgestattet?"),
    ("Kontakt im Team", "Wie gut ist der Kontakt zu Ihrem Team?"),
    ("Gesundheit", "Wie geht es Ihnen gesundheitlich?"),
)
FREE_TEXTS = ("Die neuen Laptops sind eine große Hilfe.", "Zu viele Termine am Montag.", "")


def seed_surveys(units: dict[str, OrgUnit], *, today: datetime.date, admin: User) -> None:
    """Create the survey once; a second run changes nothing."""
    if Survey.objects.filter(title=SURVEY_TITLE).exists():
        return
    survey = Survey.objects.create(
        title=SURVEY_TITLE, introduction="Vier kurze Fragen, alle zwei Wochen. Ihre Antwort wird ohne Ihren Namen gespeichert.",
        free_text_question="Möchten Sie uns noch etwas sagen?", first_round_opens_on=today - datetime.timedelta(weeks=6),
        round_every_days=14, round_open_days=14, round_count=6)
    for order, (name, question) in enumerate(CATEGORIES):
        SurveyCategory.objects.create(survey=survey, name=name, question=question, sort_order=order)
    rounds = survey_rounds_schedule(survey=survey)
    office = units["32"]
    members = User.objects.filter(unit__path__startswith=office.path, is_active=True).exclude(
        email__startswith="anna.schmidt@").order_by("personnel_number", "email")
    sections = [unit for unit in office.get_descendants() if members.filter(unit=unit).count() >= 2]
    small = list(members.filter(unit=sections[0])[:2]) if sections else []
    rest = [person for person in members if not sections or person.unit_id != sections[0].pk][:8]
    categories = list(survey.categories.all())
    for survey_round in rounds[:3]:
        for index, person in enumerate([*rest, *small]):
            scores = {category.pk: 1 + (index + survey_round.number + position) % 5 for position, category in enumerate(categories)}
            survey_answer_submit(survey_round=survey_round, user=person, scores=scores,
                                 free_text=FREE_TEXTS[index % len(FREE_TEXTS)], today=survey_round.opens_on)
        survey_round_close(survey_round=survey_round, today=survey_round.last_day + datetime.timedelta(days=1))
    grant = delegation_services.responsibility_grant
    grant(actor=admin, holder=User.objects.get(email__startswith="bernd.keller@"), unit=office, codenames=["view_survey_results"])
    hr = User.objects.filter(unit__code="11").order_by("personnel_number").first()
    if hr is not None:
        grant(actor=admin, holder=hr, unit=office.get_root(), codenames=["view_survey_results", "redact_survey_free_text"])
