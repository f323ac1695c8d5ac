"""/verify/: by reference and code, by uploading the PDF, and the limits on guessing."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from services import workflow
from services.documents.models import DecisionDocument
from tests.factories import leave_request


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def document(applicant, approver, unit, django_capture_on_commit_callbacks) -> DecisionDocument:
    request = leave_request(applicant=applicant, unit=unit, step_permission="decide_leave")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="approve")
    return DecisionDocument.objects.get(request=request)


def check(client: Client, reference: str, code: str):
    return client.post("/verify/", {"reference": reference, "code": code})


def test_reference_and_code_confirm_kind_date_and_outcome_and_nothing_else(document, caplog):
    response = Client().post("/en/verify/", {"reference": document.request.reference.lower(),
                                             "code": document.verification_code.lower().replace("-", " ")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The portal issued this decision." in page
    assert "Leave" in page and "approved" in page
    assert "Anna" not in page and "Schmidt" not in page
    assert any(getattr(r, "security", {}).get("outcome") == "confirmed" for r in caplog.records)


def test_the_qr_codes_link_confirms_in_one_step(document):
    response = Client().get(f"/en/verify/?reference={document.request.reference}&code={document.verification_code}")
    assert response.status_code == 200
    assert "The portal issued this decision." in response.content.decode()


def test_a_wrong_code_and_an_unknown_reference_get_the_same_answer(document):
    wrong = check(Client(), document.request.reference, "AAAA-AAAA-AAAA")
    unknown = check(Client(), "KD-2099-999999", "AAAA-AAAA-AAAA")
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda response: response.content.decode().replace(document.request.reference, "REF").replace(  # noqa: E731
        "KD-2099-999999", "REF")
    import re
    without_tokens = [re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", strip(r)) for r in (wrong, unknown)]
    assert without_tokens[0] == without_tokens[1]
    assert "Urlaub" not in without_tokens[0]


def test_the_uploaded_pdf_is_confirmed_byte_for_byte_and_a_tampered_one_is_not(document):
    content = document.file.open("rb").read()
    confirmed = Client().post("/en/verify/", {"document": SimpleUploadedFile("bescheid.pdf", content, "application/pdf")})
    assert confirmed.status_code == 200
    assert "This is exactly the document the portal issued." in confirmed.content.decode()
    assert document.request.reference in confirmed.content.decode()
    tampered = content.replace(b"Bernd Keller", b"Bernd Kellar") if b"Bernd Keller" in content else content[:-2] + b"X\n"
    refused = Client().post("/en/verify/", {"document": SimpleUploadedFile("bescheid.pdf", tampered, "application/pdf")})
    assert "The portal did not issue this file." in refused.content.decode()
    assert "This is exactly" not in refused.content.decode()


def test_guessing_codes_of_one_reference_is_stopped_even_from_many_addresses(document, settings, caplog):
    reference = document.request.reference
    for attempt in range(settings.VERIFY_REFERENCE_LIMIT):
        assert check(Client(REMOTE_ADDR=f"198.51.100.{attempt}"), reference, "AAAA-AAAA-AAAA").status_code == 200
    stopped = check(Client(REMOTE_ADDR="203.0.113.1"), reference, document.verification_code)
    assert stopped.status_code == 429
    assert "The portal issued" not in stopped.content.decode()
    assert any(getattr(r, "security", {}).get("scope") == "reference" for r in caplog.records)
    # An unknown reference is stopped after as many wrong codes: the limit tells nothing either.
    for attempt in range(settings.VERIFY_REFERENCE_LIMIT):
        check(Client(REMOTE_ADDR=f"192.0.2.{attempt}"), "KD-2099-999999", "AAAA-AAAA-AAAA")
    assert check(Client(REMOTE_ADDR="192.0.2.200"), "KD-2099-999999", "AAAA-AAAA-AAAA").status_code == 429


def test_one_client_guessing_many_references_is_stopped(document, settings):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(settings.VERIFY_CLIENT_LIMIT):
        assert check(guesser, f"KD-2027-{number:06d}", "AAAA-AAAA-AAAA").status_code == 200
    assert check(guesser, document.request.reference, document.verification_code).status_code == 429
    upload = guesser.post("/verify/", {"document": SimpleUploadedFile("x.pdf", b"%PDF-1.7", "application/pdf")})
    assert upload.status_code == 429
    assert check(Client(REMOTE_ADDR="198.51.100.77"), document.request.reference, document.verification_code).status_code == 200


def test_the_empty_page_and_a_form_error_count_nothing(db, settings):
    client = Client(REMOTE_ADDR="203.0.113.10")
    assert client.get("/verify/").status_code == 200
    response = check(client, "", "")
    assert response.status_code == 200 and "error-summary" in response.content.decode()
