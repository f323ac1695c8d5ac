"""Extra questions on a service page: typed checks, the JSON snapshot kept with the request, and showing it."""

import datetime
import io
import json
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from home.models import ServicePage
from services import questions, workflow
from services.models import Attachment, RequestStatus, ServiceRequest
from tests.factories import next_monday

ALL_TYPES = [
    {"type": "short_text", "id": "q-short", "value": {"label": "Kostenstelle", "help_text": "z. B. 32.100", "required": True}},
    {"type": "long_text", "id": "q-long", "value": {"label": "Begründung", "help_text": "", "required": True}},
    {"type": "choice", "id": "q-choice", "value": {"label": "Größe", "help_text": "", "required": True,
                                                   "options": ["24 Zoll", "27 Zoll"]}},
    {"type": "date", "id": "q-date", "value": {"label": "Abholung am", "help_text": "", "required": True}},
    {"type": "number", "id": "q-number", "value": {"label": "Anzahl", "help_text": "", "required": True}},
    {"type": "yes_no", "id": "q-yes-no", "value": {"label": "Schon einmal ausgeliehen?", "help_text": "", "required": True}},
    {"type": "file", "id": "q-file", "value": {"label": "Ärztliche Bescheinigung", "help_text": "", "required": False}},
]


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return weasyprint.HTML(string="<h1>Bescheinigung</h1>").write_pdf()


@pytest.fixture(autouse=True)
def private_files():
    """Whatever a test adds to private storage is removed afterwards."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    before = set(root.rglob("*"))
    yield
    for path in set(root.rglob("*")) - before:
        if path.is_file():
            path.unlink()


@pytest.fixture
def page(site) -> ServicePage:
    """The equipment loan page with one question of every type added by the editors."""
    page = site["services"]["equipment_loan"]
    page.questions = ALL_TYPES
    page.save_revision().publish()
    return ServicePage.objects.get(pk=page.pk)


def equipment_post(**overrides) -> dict:
    start = next_monday()
    data = {
        "items": ["monitor"], "start_date": start.isoformat(), "end_date": (start + datetime.timedelta(days=30)).isoformat(),
        "confirms_address": "on", "note": "", "action": "submit",
        "extra-q-short": "32.100", "extra-q-long": "Für das Homeoffice.", "extra-q-choice": "27 Zoll",
        "extra-q-date": start.isoformat(), "extra-q-number": "2", "extra-q-yes-no": "no",
    }
    data.update(overrides)
    return data


def answers_form(page: ServicePage, data: dict, files: dict | None = None) -> questions.QuestionForm:
    return questions.QuestionForm(data, files or {}, questions=questions.page_questions(page))


# --- Reading the page's questions ---------------------------------------------------------------------

def test_each_question_type_becomes_a_typed_form_field(page):
    form = questions.QuestionForm(questions=questions.page_questions(page))
    kinds = {name: type(field).__name__ for name, field in form.fields.items()}
    assert kinds == {"q-short": "CharField", "q-long": "CharField", "q-choice": "ChoiceField", "q-date": "DateField",
                     "q-number": "DecimalField", "q-yes-no": "TypedChoiceField", "q-file": "FileField"}
    assert form["q-short"].html_name == "extra-q-short"
    assert form.fields["q-short"].help_text == "z. B. 32.100"
    assert not form.fields["q-file"].required and form.fields["q-long"].required


def test_question_names_never_meet_the_kinds_own_fields(site, applicant, applicant_client):
    """An editor's question whose id is a core field's name is asked beside it; the core field stays as it is."""
    page = site["services"]["equipment_loan"]
    page.questions = [{"type": "short_text", "id": "start_date", "value": {"label": "Start", "required": True}}]
    page.save_revision().publish()
    response = applicant_client.post(page.url, equipment_post(**{"extra-start_date": "not a date, just text"}))
    assert response.status_code == 302
    request = ServiceRequest.objects.get(applicant=applicant)
    assert request.equipment_loan.start_date == next_monday()
    assert request.extra_answers["questions"][0]["answer"] == "not a date, just text"


def test_unknown_question_type_in_stored_stream_data_is_ignored(page, applicant, applicant_client):
    """Tampered StreamField JSON: an unknown type, a value that is no dict and a choice without options."""
    tampered = [
        {"type": "script", "id": "q-evil", "value": {"label": "<script>alert(1)</script>", "required": True}},
        {"type": "short_text", "id": "q-broken", "value": "not a dict"},
        {"type": "choice", "id": "q-empty", "value": {"label": "Leer", "required": True, "options": []}},
        *ALL_TYPES[:1],
    ]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE home_servicepage SET questions = %s WHERE page_ptr_id = %s", [json.dumps(tampered), page.pk])
    page = ServicePage.objects.get(pk=page.pk)

    assert [question.id for question in questions.page_questions(page)] == ["q-short"]
    response = applicant_client.get(page.url)
    assert response.status_code == 200
    assert "alert(1)" not in response.content.decode()
    assert applicant_client.post(page.url, equipment_post()).status_code == 302
    assert [entry["id"] for entry in ServiceRequest.objects.get(applicant=applicant).extra_answers["questions"]] == ["q-short"]


def test_unknown_question_type_in_a_stored_snapshot_is_not_shown(applicant):
    request = ServiceRequest(extra_answers={"questions": [
        {"id": "x", "type": "script", "label": "Evil", "answer": "<script>"}, "garbage",
        {"id": "y", "type": "number", "label": "Anzahl", "required": True, "options": [], "answer": "not a number"},
    ]})
    rows = questions.answer_display(request, []).rows
    assert [(row.label, row.answered) for row in rows] == [("Anzahl", False)]


# --- Checking the answers -----------------------------------------------------------------------------

def valid_answers(**overrides) -> dict:
    data = {key: value for key, value in equipment_post().items() if key.startswith("extra-")}
    data.update(overrides)
    return data


def test_valid_answers_become_json_with_the_questions_as_asked(page):
    form = answers_form(page, valid_answers())
    assert form.is_valid(), form.errors
    snapshot = form.answers()
    assert json.loads(json.dumps(snapshot)) == snapshot
    by_id = {entry["id"]: entry for entry in snapshot["questions"]}
    assert by_id["q-choice"] == {"id": "q-choice", "type": "choice", "label": "Größe", "help_text": "", "required": True,
                                 "options": ["24 Zoll", "27 Zoll"], "answer": "27 Zoll"}
    assert by_id["q-date"]["answer"] == next_monday().isoformat()
    assert by_id["q-number"]["answer"] == 2
    assert by_id["q-yes-no"]["answer"] is False
    assert by_id["q-file"]["answer"] is None


@pytest.mark.parametrize("field", ["extra-q-short", "extra-q-long", "extra-q-choice", "extra-q-date", "extra-q-number",
                                   "extra-q-yes-no"])
def test_a_required_question_must_be_answered(page, field):
    form = answers_form(page, valid_answers(**{field: ""}))
    assert not form.is_valid()
    assert list(form.errors) == [field.removeprefix("extra-")]


def test_a_choice_outside_the_options_is_refused(page):
    form = answers_form(page, valid_answers(**{"extra-q-choice": "32 Zoll"}))
    assert not form.is_valid()
    assert form.has_error("q-choice", "invalid_choice")


@pytest.mark.parametrize("value", ["zwei", "NaN", "Infinity", "1" * 20])
def test_a_number_must_be_a_number(page, value):
    assert not answers_form(page, valid_answers(**{"extra-q-number": value})).is_valid()


def test_a_decimal_number_is_stored_as_a_json_number(page):
    form = answers_form(page, valid_answers(**{"extra-q-number": "2.5"}))
    assert form.is_valid()
    assert {entry["id"]: entry["answer"] for entry in form.answers()["questions"]}["q-number"] == 2.5


@pytest.mark.parametrize("value", ["31.02.2027", "2027-02-31", "morgen"])
def test_a_date_must_be_a_date(page, value):
    assert not answers_form(page, valid_answers(**{"extra-q-date": value})).is_valid()


def test_a_yes_no_answer_must_be_yes_or_no(page):
    assert not answers_form(page, valid_answers(**{"extra-q-yes-no": "maybe"})).is_valid()


def test_a_file_over_the_limit_is_refused(page, settings, pdf_bytes):
    settings.ATTACHMENT_MAX_BYTES = len(pdf_bytes) - 1
    form = answers_form(page, valid_answers(), {"extra-q-file": SimpleUploadedFile("bescheinigung.pdf", pdf_bytes)})
    assert not form.is_valid()
    assert form.has_error("q-file", "too_large")


def test_a_file_that_is_not_a_document_is_refused(page):
    html = SimpleUploadedFile("bescheinigung.pdf", b"<html><script>alert(1)</script></html>")
    form = answers_form(page, valid_answers(), {"extra-q-file": html})
    assert not form.is_valid()
    assert form.has_error("q-file", "content_type")


def test_a_too_long_text_is_refused(page):
    assert not answers_form(page, valid_answers(**{"extra-q-short": "x" * 301})).is_valid()


# --- Storing and showing ------------------------------------------------------------------------------

def test_answers_are_stored_with_the_request_and_a_file_as_its_attachment(page, applicant, applicant_client, pdf_bytes):
    response = applicant_client.post(page.url, equipment_post(**{
        "extra-q-file": SimpleUploadedFile("Bescheinigung.pdf", pdf_bytes, content_type="application/pdf")}))
    assert response.status_code == 302
    request = ServiceRequest.objects.get(applicant=applicant)
    assert request.status == RequestStatus.SUBMITTED and request.equipment_loan.items == ["monitor"]
    entries = {entry["id"]: entry for entry in request.extra_answers["questions"]}
    assert [entry["label"] for entry in request.extra_answers["questions"]] == [block["value"]["label"] for block in ALL_TYPES]
    attachment = Attachment.objects.get(request=request)
    assert entries["q-file"]["answer"] == {"attachment_id": attachment.pk, "name": "Bescheinigung.pdf", "size": len(pdf_bytes)}

    content = applicant_client.get(f"/requests/{request.reference}/").content.decode()
    assert f'/requests/{request.reference}/attachments/{attachment.pk}/' in content
    assert content.count("Bescheinigung.pdf") == 1, "a file given as an answer is not listed again among the attachments"


def test_invalid_answers_show_errors_and_file_nothing(page, applicant, applicant_client):
    response = applicant_client.post(page.url, equipment_post(**{"extra-q-choice": "32 Zoll"}))
    assert response.status_code == 200
    assert 'id="id_extra-q-choice_error"' in response.content.decode()
    assert not ServiceRequest.objects.filter(applicant=applicant).exists()


def test_the_approver_sees_the_answers_and_html_is_shown_as_text(page, applicant, applicant_client, approver, client_for):
    applicant_client.post(page.url, equipment_post(**{
        "extra-q-short": "<script>alert('x')</script>", "extra-q-long": "<b>fett</b>\nzweite Zeile"}))
    request = ServiceRequest.objects.get(applicant=applicant)
    assert request.extra_answers["questions"][0]["answer"] == "<script>alert('x')</script>"

    response = client_for(approver).get(f"/requests/{request.reference}/")
    content = response.content.decode()
    assert response.status_code == 200 and 'name="decision"' in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert "<script>alert('x')</script>" not in content
    assert "&lt;b&gt;fett&lt;/b&gt;<br>zweite Zeile" in content
    with translation.override("de"):
        no, not_answered = gettext("No"), gettext("Not answered")
    for label, answer in (("Größe", "27 Zoll"), ("Anzahl", "2"), ("Schon einmal ausgeliehen?", no),
                          ("Abholung am", next_monday().strftime("%d.%m.%Y")), ("Ärztliche Bescheinigung", not_answered)):
        assert f'<dt class="kern-description-list-item__key">{label}</dt><dd class="kern-description-list-item__value">' in content
        assert answer in content.split(f"{label}</dt>", 1)[1].split("</dd>", 1)[0]


def test_colleague_without_rights_sees_no_answers(page, applicant, applicant_client, colleague, client_for):
    applicant_client.post(page.url, equipment_post())
    request = ServiceRequest.objects.get(applicant=applicant)
    assert client_for(colleague).get(f"/requests/{request.reference}/").status_code == 404


def test_the_request_keeps_its_questions_when_the_page_changes(page, applicant, applicant_client, approver, client_for):
    applicant_client.post(page.url, equipment_post())
    request = ServiceRequest.objects.get(applicant=applicant)

    page.questions = [{"type": "short_text", "id": "q-short", "value": {"label": "Neue Frage", "required": True}}]
    page.save_revision().publish()

    content = client_for(approver).get(f"/requests/{request.reference}/").content.decode()
    assert "Kostenstelle" in content and "32.100" in content and "27 Zoll" in content
    assert "Neue Frage" not in content
    assert "Neue Frage" in applicant_client.get(page.url).content.decode()


def test_a_draft_keeps_the_answers(page, applicant, applicant_client):
    response = applicant_client.post(page.url, equipment_post(action="save_draft", **{"extra-q-short": "Entwurf 1"}))
    draft = ServiceRequest.objects.get(applicant=applicant)
    assert response.status_code == 302 and draft.status == RequestStatus.DRAFT
    assert draft.draft_data[questions.DRAFT_KEY]["q-short"] == "Entwurf 1"

    content = applicant_client.get(f"{page.url}?draft={draft.reference}").content.decode()
    assert 'value="Entwurf 1"' in content and 'value="27 Zoll" id="id_extra-q-choice_1" class="kern-form-check__radio" checked' \
        in content.replace("\n", "")

    applicant_client.post(page.url, equipment_post(draft=draft.reference, **{"extra-q-short": "Endgültig"}))
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SUBMITTED and draft.draft_data == {}
    assert draft.extra_answers["questions"][0]["answer"] == "Endgültig"


def test_a_resubmission_asks_the_same_questions_and_keeps_the_file(page, applicant, applicant_client, approver, pdf_bytes):
    applicant_client.post(page.url, equipment_post(**{"extra-q-file": SimpleUploadedFile("Bescheinigung.pdf", pdf_bytes)}))
    request = ServiceRequest.objects.get(applicant=applicant)
    workflow.request_decide(request=request, actor=approver, decision="request_changes", comment="Bitte 24 Zoll.")
    page.questions = ALL_TYPES[:2]  # the editors drop questions meanwhile; the request keeps the ones it was asked
    page.save_revision().publish()

    edit_page = applicant_client.get(f"/requests/{request.reference}/edit/").content.decode()
    assert 'value="32.100"' in edit_page and "Größe" in edit_page and "Bescheinigung.pdf" in edit_page
    response = applicant_client.post(f"/requests/{request.reference}/edit/", equipment_post(**{"extra-q-choice": "24 Zoll"}))
    assert response.status_code == 302
    request.refresh_from_db()
    entries = {entry["id"]: entry["answer"] for entry in request.extra_answers["questions"]}
    assert request.status == RequestStatus.SUBMITTED
    assert entries["q-choice"] == "24 Zoll"
    assert entries["q-file"]["attachment_id"] == Attachment.objects.get(request=request).pk


def test_a_png_answer_is_accepted(page):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    form = answers_form(page, valid_answers(), {"extra-q-file": SimpleUploadedFile("foto.png", buffer.getvalue())})
    assert form.is_valid(), form.errors
    assert set(form.uploaded_files()) == {"q-file"}
