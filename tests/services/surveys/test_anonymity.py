"""Done when: after an answer, nothing in the schema, the rows or the log ties it to a person, a session or a moment."""

import datetime
import json
import logging

import pytest
from django.db import connection
from django.utils import timezone

from services.surveys.models import PendingSurveyAnswer, SurveyAnswer, SurveyParticipation
from services.surveys.services import survey_round_close
from tests.factories import UserFactory, logged_in_client
from tests.services.surveys.helpers import survey_with_open_round

ANSWER_TABLES = (PendingSurveyAnswer, SurveyAnswer)
LINKING_WORDS = ("user", "session", "person", "author", "actor", "ip", "agent", "participation", "time", "created", "at")


def _columns(model) -> list:
    with connection.cursor() as cursor:
        return connection.introspection.get_table_description(cursor, model._meta.db_table)


def _foreign_keys(model) -> dict:
    with connection.cursor() as cursor:
        return {column: target for column, (_field, target) in connection.introspection.get_relations(
            cursor, model._meta.db_table).items()}


@pytest.mark.parametrize("model", ANSWER_TABLES, ids=lambda model: model.__name__)
def test_answer_tables_have_no_column_or_key_that_could_link_a_person(model, db):
    names = [column.name for column in _columns(model)]
    for name in names:
        parts = name.lower().split("_")
        assert not set(parts) & set(LINKING_WORDS), f"{model.__name__}.{name}"
    targets = set(_foreign_keys(model).values())
    assert targets <= {"services_surveyround", "portal_orgunit"}, targets
    # No date or time column at all: the round is the answer's only time.
    types = {column.name: connection.introspection.get_field_type(column.type_code, column) for column in _columns(model)}
    assert not {name for name, kind in types.items() if "Date" in kind or "Time" in kind}, types
    # Participation holds the person and the round, and nothing that points to an answer.
    participation = set(_foreign_keys(SurveyParticipation).values())
    assert participation == {"services_surveyround", "portal_user"}
    assert {column.name for column in _columns(SurveyParticipation)} == {"id", "round_id", "user_id"}


def test_after_an_answer_no_row_or_log_line_links_it_to_the_person(unit, caplog):
    survey = survey_with_open_round()
    anna = UserFactory(unit=unit, email="anna.schmidt@musterstadt.example")
    client = logged_in_client(anna, mfa=False, reauthenticated=False)
    survey_round = survey.rounds.get(number=1)
    data = {f"category_{category.pk}": "2" for category in survey.categories.all()} | {"free_text": "Zu viele Termine."}
    with caplog.at_level(logging.DEBUG):
        response = client.post(f"/surveys/rounds/{survey_round.pk}/", data)
    assert response.status_code == 302
    session_key = client.session.session_key

    # While the round runs: participation in the clear, the answer sealed — its unit, scores and text unreadable.
    assert SurveyParticipation.objects.filter(round=survey_round, user=anna).count() == 1
    pending = PendingSurveyAnswer.objects.get()
    blob = bytes(pending.sealed)
    for needle in (b"Termine", b'"unit"', b'"scores"', anna.email.encode(), session_key.encode()):
        assert needle not in blob
    assert len(blob) % 512 == 12 + 16  # padded: the length does not tell how long the free text was
    assert {field.attname for field in PendingSurveyAnswer._meta.concrete_fields} == {"id", "round_id", "sealed"}

    # No log line carries the answer, and none names the person beside the round's answer.
    for record in caplog.records:
        message = record.getMessage()
        assert "Termine" not in message and str(pending.pk) not in message

    # After the round closes: the answer, shuffled into its batch, with its round and unit only.
    survey_round.refresh_from_db()
    survey_round_close(survey_round=survey_round, today=survey_round.last_day + datetime.timedelta(days=1))
    answer = SurveyAnswer.objects.get()
    row = {field.attname: getattr(answer, field.attname) for field in SurveyAnswer._meta.concrete_fields}
    assert set(row) == {"id", "round_id", "unit_id", "scores", "free_text", "free_text_redacted", "free_text_status"}
    flat = json.dumps(row, default=str)
    for needle in (str(anna.email), session_key, timezone.localdate().isoformat()):
        assert needle not in flat
    assert str(answer.pk) != str(pending.pk)
    assert not PendingSurveyAnswer.objects.exists()
