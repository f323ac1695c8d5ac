"""Pasting an e-mail's headers (or its whole source) instead of uploading the `.eml`: the same parser reads it as
data, the same size limit holds, and text that is no header block is refused at the field with nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from services.phishing.models import PhishingCase, PhishingReport
from tests.services.phishing.test_phishing import EML

HEADERS = ("Received: from mx.evil.example (mx.evil.example [203.0.113.5])\n"
           "From: Musterstadt Bank <NoReply@bank-musterstadt.example>\n"
           "To: anna.schmidt@musterstadt.example\n"
           "Subject: Ihr Konto wird gesperrt\n"
           "Date: Wed, 1 Jul 2026 08:00:00 +0200\n"
           "Message-ID: <1@evil.example>\n")


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """The English pages leave English active in the thread; later tests reverse URLs in the default language."""
    yield
    translation.activate("de")


def post(client, data: dict, *, path: str = "/phishing/report/"):
    return client.post(path, {"kind": "email", **data})


def test_pasted_headers_are_read_like_an_uploaded_file(applicant, client_for):
    response = post(client_for(applicant, mfa=False), {"source": "  \n" + HEADERS + "\n", "note": "nicht geklickt"})

    assert response.status_code == 302
    report = PhishingReport.objects.get()
    assert (report.sender, report.subject, report.file_name, report.note) == (
        "noreply@bank-musterstadt.example", "Ihr Konto wird gesperrt", "", "nicht geklickt")
    assert report.headers.startswith("Received: from mx.evil.example")
    assert "Message-ID: <1@evil.example>" in report.headers


def test_a_pasted_full_source_yields_its_links_and_joins_the_uploaded_files_case(applicant, colleague, client_for):
    assert post(client_for(applicant, mfa=False), {"eml": SimpleUploadedFile("mail.eml", EML)}).status_code == 302
    response = post(client_for(colleague, mfa=False), {"source": EML.decode("ascii")})

    assert response.status_code == 302
    uploaded, pasted = PhishingReport.objects.order_by("pk")
    assert pasted.links == uploaded.links == ["https://login.evil.example/konto?id=1"]
    assert pasted.headers == uploaded.headers
    assert pasted.case == uploaded.case and PhishingCase.objects.count() == 1


@pytest.mark.parametrize("source", [
    "just some words, no headers",
    "Subject: Konto gesperrt\nDate: Wed, 1 Jul 2026 08:00:00 +0200\n",  # no sender
    "From: Bank\nSubject: Konto gesperrt\n",  # a sender without an address
    "From: noreply@bank.example\n",  # a sender line alone is no header block
])
def test_text_that_is_no_header_block_is_refused_at_its_field(applicant, client_for, source):
    response = post(client_for(applicant, mfa=False), {"source": source})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["source"]
    assert not PhishingReport.objects.exists() and not PhishingCase.objects.exists()


def test_the_refusal_says_what_is_missing(applicant, client_for):
    response = post(client_for(applicant, mfa=False), {"source": "hello"}, path="/en/phishing/report/")

    html = response.content.decode()
    assert "is not the header block of an e-mail" in html
    assert 'id="id_source"' in html and 'aria-invalid="true"' in html


def test_pasted_text_is_held_to_the_upload_limit(applicant, client_for, settings):
    settings.PHISHING_EML_MAX_BYTES = len(HEADERS.strip().encode()) - 1
    response = post(client_for(applicant, mfa=False), {"source": HEADERS}, path="/en/phishing/report/")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["source"]
    assert "at most" in " ".join(response.context["form"].errors["source"])
    assert not PhishingReport.objects.exists()


def test_a_file_and_pasted_headers_together_are_refused(applicant, client_for):
    response = post(client_for(applicant, mfa=False), {"eml": SimpleUploadedFile("mail.eml", EML), "source": HEADERS})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["source"]
    assert not PhishingReport.objects.exists()


def test_the_textarea_sets_no_length_a_browser_would_cut_at(applicant, client_for):
    html = client_for(applicant, mfa=False).get("/phishing/report/").content.decode()
    textarea = html[html.index('<textarea name="source"'):]
    assert "maxlength" not in textarea[:textarea.index(">")]


def test_an_empty_report_names_every_way_to_give_the_e_mail(applicant, client_for):
    response = post(client_for(applicant, mfa=False), {}, path="/en/phishing/report/")

    assert response.status_code == 200
    assert "paste its headers" in " ".join(response.context["form"].errors["eml"])
    assert not PhishingReport.objects.exists()
