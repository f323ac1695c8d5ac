"""Rules editors state between the extra questions of a service page: a "to" date not before a "from" date, a date
not in the past; checked when the form is sent, each error at its field."""

import datetime

import pytest
import time_machine
from django.utils import translation

from home.blocks import QuestionStreamBlock
from home.models import ServicePage
from services import questions
from services.models import ServiceRequest

TODAY = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=datetime.UTC)

RULED_QUESTIONS = [
    {"type": "date", "id": "from", "value": {"label": "Von", "help_text": "", "required": True, "not_in_past": True}},
    {"type": "date", "id": "to", "value": {"label": "Bis", "help_text": "", "required": True, "not_before": "von"}},
]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False), translation.override("en"):
        yield


def form(data: dict) -> questions.QuestionForm:
    return questions.QuestionForm({f"extra-{key}": value for key, value in data.items()},
                                  questions=[questions._question(q["id"], q["type"], q["value"]) for q in RULED_QUESTIONS])


def test_dates_in_order_and_from_today_on_are_accepted():
    checked = form({"from": "2027-03-10", "to": "2027-03-10"})
    assert checked.is_valid(), checked.errors
    snapshot = checked.answers()["questions"]
    assert snapshot[0]["not_in_past"] is True and snapshot[1]["not_before"] == "von"


def test_a_to_date_before_the_from_date_is_an_error_at_the_to_field():
    checked = form({"from": "2027-03-15", "to": "2027-03-12"})
    assert not checked.is_valid()
    assert list(checked.errors) == ["to"]
    assert "must not be before the answer to “Von” (15.03.2027)" in checked.errors["to"][0]


def test_a_date_in_the_past_is_an_error_at_its_field():
    checked = form({"from": "2027-03-09", "to": "2027-03-20"})
    assert not checked.is_valid()
    assert checked.errors["from"] == ["The date must not be in the past."]
    assert 'min="2027-03-10"' in str(checked["from"])


def test_a_rule_naming_no_date_question_checks_nothing():
    stray = [{"type": "date", "id": "to", "value": {"label": "Bis", "required": True, "not_before": "Gibt es nicht"}}]
    checked = questions.QuestionForm({"extra-to": "2020-01-01"},
                                     questions=[questions._question(q["id"], q["type"], q["value"]) for q in stray])
    assert checked.is_valid()


def test_rules_are_checked_on_the_service_page_with_the_error_summary(site, applicant_client):
    page = site["services"]["generic"]
    ServicePage.objects.filter(pk=page.pk).update(questions=QuestionStreamBlock().get_prep_value(
        QuestionStreamBlock().to_python(RULED_QUESTIONS)))
    response = applicant_client.post(page.url, {"subject": "Dienstrad", "extra-from": "2027-03-15", "extra-to": "2027-03-12",
                                                "action": "submit"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_extra-to"' in html  # the error summary leads to the field
    assert 'aria-invalid="true"' in html
    assert not ServiceRequest.objects.exists()


def test_the_number_question_type_is_not_the_delegation_lists_number():
    # The question type has its own msgid (context "type of an extra question"), no longer the "Nr." of column headers.
    assert str(questions.QuestionType.NUMBER.label) == "Number"
    with translation.override("de"):
        assert str(questions.QuestionType.NUMBER.label) != "Nr."
