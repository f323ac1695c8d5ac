"""Both content trees stay in step: a question added in one language is asked in the other, and the editor who
publishes a service page whose translations ask different questions is warned."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import ServicePage
from home.wagtail_hooks import question_differences
from services import questions
from tests.factories import UserFactory

QUESTIONS = [
    {"type": "short_text", "id": "purpose", "value": {"label": "Wofür?", "help_text": "", "required": True}},
    {"type": "date", "id": "from", "value": {"label": "Ab wann?", "help_text": "", "required": True}},
]


@pytest.fixture
def bilingual(site):
    """A generic service page in German with two questions, and its English translation (same block ids)."""
    german = site["services"]["generic"]
    german.questions = QUESTIONS
    german.save_revision().publish()
    german = ServicePage.objects.get(pk=german.pk)
    english_locale = Locale.objects.get_or_create(language_code="en")[0]
    english = german.copy_for_translation(english_locale, copy_parents=True, alias=False)
    english.title = "Other service"
    english.questions = [{**question, "value": {**question["value"], "label": label}}
                         for question, label in zip(QUESTIONS, ["What for?", "From when?"], strict=True)]
    english.save_revision().publish()
    return german, ServicePage.objects.get(pk=english.pk)


def field_names(html: str) -> set[str]:
    return set(re.findall(r'name="(extra-[^"]+)"', html))


def test_english_form_asks_the_same_questions_as_the_german_one(bilingual, applicant_client):
    german, english = bilingual

    assert field_names(applicant_client.get(german.url).content.decode()) == {"extra-purpose", "extra-from"}
    assert field_names(applicant_client.get(english.url).content.decode()) == {"extra-purpose", "extra-from"}


def test_a_question_added_in_german_only_is_asked_in_english_too(bilingual, applicant_client):
    german, english = bilingual
    german.questions = [*QUESTIONS, {"type": "yes_no", "id": "helmet", "value": {"label": "Helm nötig?", "required": False}}]
    german.save_revision().publish()

    assert [question.id for question in questions.page_questions(english)] == ["purpose", "from", "helmet"]
    html = applicant_client.get(english.url).content.decode()
    assert "extra-helmet" in field_names(html) and "Helm nötig?" in html


def test_publishing_a_german_page_with_an_extra_question_warns_the_editor(bilingual, client_for):
    german, _english = bilingual
    admin = UserFactory(is_staff=True, is_superuser=True, unit=None)
    client = client_for(admin)
    questions_data = streamfield([
        ("short_text", {"label": "Wofür?", "help_text": "", "required": "on"}),
        ("date", {"label": "Ab wann?", "help_text": "", "required": "on", "not_before": ""}),
        ("yes_no", {"label": "Helm nötig?", "help_text": ""}),
    ])
    # Keep the block ids of the two questions both versions share; the third is new.
    questions_data["0"]["id"], questions_data["1"]["id"] = "purpose", "from"
    data = nested_form_data({
        "title": german.title, "slug": german.slug, "kind": "generic", "decided_by": german.decided_by,
        "intro": rich_text(""), "body": streamfield([]), "questions": questions_data,
        "confirmation_text": rich_text(""), "action-publish": "action-publish",
    })
    response = client.post(reverse("wagtailadmin_pages:edit", args=[german.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    warnings = [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "warning"]
    assert len(warnings) == 1 and "“Helm nötig?”" in warnings[0]
    assert ServicePage.objects.get(pk=german.pk).live  # published all the same


def test_publishing_pages_whose_questions_agree_warns_nobody(bilingual):
    german, english = bilingual
    assert question_differences(german) == [] and question_differences(english) == []
