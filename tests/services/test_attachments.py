"""Files handed in with a leave request: checked by their content, kept outside the web root, shown only to the applicant."""

import io
import re
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone, translation
from PIL import Image

from services.attachments import attachment_validate
from services.models import Attachment, RequestStatus, ServiceRequest
from tests.factories import next_monday


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    """A real PDF, rendered as the portal renders its own documents."""
    return weasyprint.HTML(string="<h1>Einladung</h1><p>Personalversammlung am 14.04.2027</p>").write_pdf()


@pytest.fixture(scope="module")
def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


HTML_PAGE = b"<!DOCTYPE html><html><head><title>Rechnung</title></head><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def private_files():
    """The files in private storage before the test; whatever a test adds is removed afterwards."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    before = set(root.rglob("*"))
    yield before
    for path in set(root.rglob("*")) - before:
        if path.is_file():
            path.unlink()


def stored_files() -> set[Path]:
    return {path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()}


def leave_post(upload, **overrides) -> dict:
    start = next_monday()
    data = {"leave_type": "occasion", "occasion": "medical", "start_date": start.isoformat(), "end_date": start.isoformat(),
            "substitute": "", "note": "", "action": "submit", "attachment": upload}
    data.update(overrides)
    return data


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def submitted_with_pdf(applicant, applicant_client, site, pdf_bytes):
    response = applicant_client.post(site["services"]["leave"].url, leave_post(upload("Einladung Personalversammlung.pdf",
                                                                                      pdf_bytes)))
    assert response.status_code == 302
    return ServiceRequest.objects.get(applicant=applicant)


# --- accepted and stored ----------------------------------------------------------------------------


def test_leave_with_a_pdf_stores_it_in_private_storage(submitted_with_pdf, applicant, pdf_bytes):
    attachment = submitted_with_pdf.attachments.get()

    assert submitted_with_pdf.status == RequestStatus.SUBMITTED
    assert attachment.original_name == "Einladung Personalversammlung.pdf"
    assert (attachment.content_type, attachment.size, attachment.uploaded_by) == ("application/pdf", len(pdf_bytes), applicant)
    assert attachment.file.storage is storages["private"]
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert "Einladung" not in attachment.file.name
    assert path.read_bytes() == pdf_bytes


def test_content_type_is_read_from_the_file_not_the_browsers_claim(applicant, applicant_client, site, pdf_bytes):
    applicant_client.post(site["services"]["leave"].url, leave_post(upload("einladung.pdf", pdf_bytes, "text/html")))

    assert Attachment.objects.get().content_type == "application/pdf"


def test_a_png_with_its_own_ending_is_accepted(applicant, applicant_client, site, png_bytes):
    response = applicant_client.post(site["services"]["leave"].url, leave_post(upload("foto.png", png_bytes, "image/png")))

    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "image/png"


def test_a_draft_keeps_its_attachment(applicant, applicant_client, site, pdf_bytes):
    response = applicant_client.post(site["services"]["leave"].url, {"action": "save_draft",
                                                                     "attachment": upload("einladung.pdf", pdf_bytes)})

    draft = ServiceRequest.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert draft.status == RequestStatus.DRAFT
    assert draft.attachments.get().original_name == "einladung.pdf"


# --- downloads --------------------------------------------------------------------------------------


def test_applicant_downloads_the_attachment_as_a_file(submitted_with_pdf, applicant_client, pdf_bytes):
    attachment = submitted_with_pdf.attachments.get()
    url = f"/requests/{submitted_with_pdf.reference}/attachments/{attachment.pk}/"
    assert url in applicant_client.get(f"/requests/{submitted_with_pdf.reference}/").content.decode()

    response = applicant_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.match(r'attachment; filename="Einladung Personalversammlung\.pdf"', response["Content-Disposition"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes


@pytest.mark.parametrize("persona", ["colleague", "editor"])
def test_others_get_404_for_the_attachment(persona, request, submitted_with_pdf, client_for):
    attachment = submitted_with_pdf.attachments.get()

    response = client_for(request.getfixturevalue(persona)).get(
        f"/requests/{submitted_with_pdf.reference}/attachments/{attachment.pk}/")

    assert response.status_code == 404


def test_anonymous_download_is_sent_to_login(submitted_with_pdf, client):
    attachment = submitted_with_pdf.attachments.get()

    response = client.get(f"/requests/{submitted_with_pdf.reference}/attachments/{attachment.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_private_files_have_no_public_url(submitted_with_pdf, client):
    attachment = submitted_with_pdf.attachments.get()

    assert client.get(f"{settings.MEDIA_URL}{attachment.file.name}", follow=True).status_code == 404


# --- refused ----------------------------------------------------------------------------------------


def assert_refused_at_the_field(response, private_files_before: set[Path]) -> str:
    """The form came back with the error beside the attachment field, and nothing at all was saved."""
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert 'id="id_attachment_error"' in content
    errors = response.context["attachment_form"].errors
    assert list(errors) == ["attachment"]
    assert not response.context["form"].errors
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files() <= private_files_before
    return errors["attachment"][0]


def test_a_20_mb_file_is_refused_with_its_size_and_the_limit(applicant_client, site, pdf_bytes, private_files):
    big = pdf_bytes + b"\0" * (20 * 1024 * 1024 - len(pdf_bytes))

    response = applicant_client.post(site["services"]["leave"].url, leave_post(upload("scan.pdf", big)))

    message = assert_refused_at_the_field(response, private_files)
    assert "scan.pdf" in message
    assert re.search(r"20[.,]0\sMB", message) and re.search(r"10[.,]0\sMB", message)


def test_a_file_of_exactly_the_limit_is_accepted_and_one_byte_more_refused(applicant, applicant_client, site, pdf_bytes,
                                                                          private_files):
    limit = 64 * 1024
    exact = pdf_bytes + b"\0" * (limit - len(pdf_bytes))

    with override_settings(ATTACHMENT_MAX_BYTES=limit):
        too_big = applicant_client.post(site["services"]["leave"].url, leave_post(upload("scan.pdf", exact + b"\0")))
        assert_refused_at_the_field(too_big, private_files)

        accepted = applicant_client.post(site["services"]["leave"].url, leave_post(upload("scan.pdf", exact)))

    assert accepted.status_code == 302
    assert Attachment.objects.get().size == limit


def test_an_html_page_named_pdf_is_refused(applicant_client, site, private_files):
    response = applicant_client.post(site["services"]["leave"].url, leave_post(upload("rechnung.pdf", HTML_PAGE)))

    assert "rechnung.pdf" in assert_refused_at_the_field(response, private_files)


def test_a_png_named_pdf_is_refused(applicant_client, site, png_bytes, private_files):
    response = applicant_client.post(site["services"]["leave"].url, leave_post(upload("attest.pdf", png_bytes)))

    message = assert_refused_at_the_field(response, private_files)
    assert "attest.pdf" in message and "PNG" in message


def test_a_file_without_an_ending_is_refused(applicant_client, site, pdf_bytes, private_files):
    response = applicant_client.post(site["services"]["leave"].url, leave_post(upload("attest", pdf_bytes)))

    assert_refused_at_the_field(response, private_files)


def test_a_refused_file_on_a_draft_saves_no_draft(applicant_client, site, private_files):
    response = applicant_client.post(site["services"]["leave"].url, {"action": "save_draft", "note": "Hallo",
                                                                     "attachment": upload("rechnung.pdf", HTML_PAGE)})

    assert_refused_at_the_field(response, private_files)


# --- the messages themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "words"), [
    ("scan.pdf", b"%PDF-1.4\n" + b"\0" * (10 * 1024 * 1024), ["scan.pdf", "at most", "10.0"]),
    ("rechnung.pdf", HTML_PAGE, ["rechnung.pdf", "not a PDF, PNG or JPEG"]),
    ("attest.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ["attest.pdf", "does not match its ending", "PNG"]),
])
def test_refusal_messages_name_the_file_and_the_problem(name, content, words):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        attachment_validate(upload(name, content))

    message = refused.value.messages[0]
    assert all(word in message for word in words), message


def test_validation_leaves_the_file_readable_from_the_start(pdf_bytes):
    uploaded = upload("einladung.pdf", pdf_bytes)

    assert attachment_validate(uploaded) == "application/pdf"
    assert uploaded.read() == pdf_bytes


def test_attachment_paths_are_dated_and_random(submitted_with_pdf):
    name = submitted_with_pdf.attachments.get().file.name
    month = timezone.now()

    assert re.fullmatch(rf"attachments/{month:%Y/%m}/[0-9a-f]{{32}}", name)
