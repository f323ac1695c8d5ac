"""A Kummerkasten message keeps nothing that links it to its writer: not in the schema, the rows, or the logs."""

import logging
import re

from django.contrib.sessions.models import Session
from django.db import connection, models

from portal.models import User
from services.kummerkasten import models as kummerkasten_models
from services.kummerkasten.models import KummerkastenMessage, KummerkastenPost
from tests.services.kummerkasten.conftest import receipt_code, write

KUMMERKASTEN_MODELS = (kummerkasten_models.KummerkastenTopic, KummerkastenMessage, KummerkastenPost)
IDENTIFYING_WORDS = ("user", "session", "ip", "address", "agent", "author_id", "created", "time", "writer", "sender", "account")


def test_schema_has_no_column_or_key_that_could_name_a_writer(db):
    for model in (KummerkastenMessage, KummerkastenPost):
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                assert field.related_model not in (User, Session), f"{model.__name__}.{field.name}"
            assert not isinstance(field, (models.DateTimeField, models.TimeField)), f"{model.__name__}.{field.name} is finer than a day"
            assert not any(word in field.name.lower().split("_") for word in IDENTIFYING_WORDS), f"{model.__name__}.{field.name}"
        # A sequential key would tell the order of arrival.
        assert isinstance(model._meta.pk, models.UUIDField)
        with connection.cursor() as cursor:
            columns = [column.name for column in connection.introspection.get_table_description(cursor, model._meta.db_table)]
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
        assert not any(word in column.lower() for column in columns for word in ("user", "session", "ip_", "agent", "_at"))
        foreign_tables = {constraint["foreign_key"][0] for constraint in constraints.values() if constraint.get("foreign_key")}
        assert foreign_tables <= {"services_kummerkastenmessage", "services_kummerkastentopic"}


def test_rows_and_logs_after_a_message_hold_nothing_of_the_writer(applicant, topic, client_for, caplog):
    client = client_for(applicant, mfa=False)
    session_key = client.session.session_key
    client.get("/kummerkasten/")
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        response = write(client, topic, HTTP_USER_AGENT="KummerTestBrowser/1.0", REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    code = receipt_code(response)
    identifying = [applicant.email, session_key, "10.9.8.7", "KummerTestBrowser", code, code.replace("-", "")]

    message = KummerkastenMessage.objects.get()
    post = message.posts.get()
    for row in (message, post):
        values = [str(getattr(row, field.attname)) for field in row._meta.concrete_fields]
        assert not any(needle in value for needle in identifying for value in values), values
    assert message.received_on == post.written_on and type(message.received_on).__name__ == "date"
    assert message.receipt_hash != code and len(message.receipt_hash) == 64

    # No log line at all while the message was written: no security event, nothing from Django.
    lines = [record for record in caplog.records if record.name.startswith(("portal", "services", "django.request", "django.server"))]
    assert lines == []
    for record in caplog.records:
        text = record.getMessage() + str(getattr(record, "security", ""))
        assert not any(needle in text for needle in identifying), text


def test_the_writers_forms_post_to_one_address_and_the_code_is_never_in_a_path(applicant, topic, client_for):
    client = client_for(applicant, mfa=False)
    page = client.get("/kummerkasten/").content.decode()
    forms = re.findall(r"<form[^>]*>", page.split('id="write-title"', 1)[1])
    assert len(forms) == 2 and all('method="post"' in form and "action=" not in form for form in forms)
    response = write(client, topic)
    assert response.request["PATH_INFO"] == "/kummerkasten/" and not response.request.get("QUERY_STRING")
    code = receipt_code(response)
    thread = client.post("/kummerkasten/", {"action": "read", "code": code}).content.decode()
    assert 'action="/kummerkasten/"' in thread and "?" not in re.search(r'<form[^>]*action="([^"]*)"', thread).group(1)
    # A GET never reads a message, whatever its query string says.
    assert "Die Heizung" not in client.get("/kummerkasten/?code=" + code).content.decode()
