"""Decision documents: a real PDF rendered, read back with pypdf, its QR code decoded, issued once and never changed."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from services import workflow
from services.documents import rendering
from services.documents.models import DecisionDocument, DocumentAlreadyIssued, DocumentStatus, Letterhead
from services.documents.services import decision_document_issue
from services.documents.tasks import issue_decision_document
from services.models import EventAction, RequestStatus
from tests.factories import leave_request


@pytest.fixture
def decided(applicant, approver, unit, django_capture_on_commit_callbacks):
    """Anna's leave, approved by Bernd Keller; the document is issued when the decision commits."""
    request = leave_request(applicant=applicant, unit=unit, step_permission="decide_leave")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="approve", comment="Gute Erholung")
    return request


def document_of(request) -> DecisionDocument:
    return DecisionDocument.objects.get(request=request)


def read(document: DecisionDocument) -> PdfReader:
    with document.file.open("rb") as pdf_file:
        return PdfReader(io.BytesIO(pdf_file.read()))


def test_final_decision_issues_a_tagged_pdf_in_the_applicants_language(decided):
    document = document_of(decided)
    assert document.status == DocumentStatus.ISSUED, document.error
    reader = read(document)
    text = "".join(page.extract_text() for page in reader.pages)
    assert decided.reference in text
    assert "Anna Schmidt" in text and "Bernd Keller" in text
    assert document.verification_code in text
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert reader.metadata.title.endswith(decided.reference)
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert re.search(r'pdfaid:part="3"', xmp) and 'pdfaid:conformance="A"' in xmp
    assert "/StructTreeRoot" in catalog and catalog["/StructTreeRoot"].get_object()["/K"]


def test_qr_code_leads_to_verify_with_reference_and_code(decided):
    zxingcpp = pytest.importorskip("zxingcpp")
    document = document_of(decided)
    images = [image.image for page in read(document).pages for image in page.images]
    payloads = [result.text for image in images for result in zxingcpp.read_barcodes(image.convert("L"))]
    assert payloads == [f"http://127.0.0.1:8000/verify/?reference={decided.reference}&code={document.verification_code}"]


def test_english_applicant_gets_an_english_document(applicant, approver, unit, django_capture_on_commit_callbacks):
    applicant.preferred_language = "en"
    applicant.save(update_fields=["preferred_language"])
    request = leave_request(applicant=applicant, unit=unit, step_permission="decide_leave")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="reject", comment="Urlaubssperre")
    reader = read(document_of(request))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = reader.pages[0].extract_text()
    assert "Your request has been rejected." in text and "Urlaubssperre" in text
    assert "/en/verify/" in text


def test_running_the_task_again_renders_nothing_and_changes_nothing(decided):
    document = document_of(decided)
    event = decided.events.get(action=EventAction.APPROVED)
    issue_decision_document.call(event_id=event.pk)
    again = decision_document_issue(event_id=event.pk)
    assert again.pk == document.pk and again.sha256 == document.sha256 and again.file.name == document.file.name
    assert DecisionDocument.objects.filter(request=decided).count() == 1
    with pytest.raises(DocumentAlreadyIssued):
        again.save()


def test_no_document_before_the_final_decision(applicant, approver, unit, django_capture_on_commit_callbacks):
    request = leave_request(applicant=applicant, unit=unit, step_permission="decide_leave")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="request_changes", comment="Zeitraum?")
    assert not DecisionDocument.objects.exists()


def test_template_error_is_recorded_and_leaves_the_request_as_decided(decided, settings, tmp_path):
    DecisionDocument.objects.all().update(status="failed")  # bulk update bypasses the guard: simulate a fresh run
    DecisionDocument.objects.all().delete()
    broken = tmp_path / "pdf"
    broken.mkdir()
    (broken / "decision.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    event = decided.events.get(action=EventAction.APPROVED)
    document = decision_document_issue(event_id=event.pk)
    assert document.status == DocumentStatus.FAILED and "TemplateSyntaxError" in document.error
    assert not document.file
    decided.refresh_from_db()
    assert decided.status == RequestStatus.APPROVED
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": settings.TEMPLATES[0]["DIRS"][1:]}]
    retried = decision_document_issue(event_id=event.pk)
    assert retried.pk == document.pk and retried.status == DocumentStatus.ISSUED and retried.attempts == 2


def test_external_addresses_are_refused(db):
    fetcher = rendering.StaticOnlyFetcher()
    html = ('<html lang="de"><head><title>t</title><link rel="stylesheet" href="https://evil.example/x.css"></head><body>'
            '<p>Text</p><img src="https://evil.example/pixel.png" alt="x"><img src="file:///etc/passwd" alt="y">'
            '<img src="/static/../portal/settings/base.py" alt="z"></body></html>')
    content = rendering.html_to_pdf(html, fetcher=fetcher)
    assert content.startswith(b"%PDF")
    assert fetcher.refused == ["https://evil.example/x.css", "https://evil.example/pixel.png", "file:///etc/passwd",
                               "file:///portal/settings/base.py"]  # weasyprint resolves the ../ before asking


def test_letterhead_footer_with_an_external_image_is_refused_and_noted(applicant, approver, unit,
                                                                      django_capture_on_commit_callbacks):
    letterhead = Letterhead.load()
    letterhead.footer = '<p>Rechtsbehelfsbelehrung</p><img src="https://evil.example/track.png" alt="">'
    letterhead.save()
    request = leave_request(applicant=applicant, unit=unit, step_permission="decide_leave")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=request, actor=approver, decision="approve")
    document = document_of(request)
    assert document.status == DocumentStatus.ISSUED
    assert "refused address: https://evil.example/track.png" in document.warnings
    assert "Rechtsbehelfsbelehrung" in read(document).pages[0].extract_text()


def _image(name: str, size: tuple[int, int]):
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PillowImage.new("RGB", size, "navy").save(buffer, "PNG")
    return Image.objects.create(title=name, file=SimpleUploadedFile(f"{name}.png", buffer.getvalue()))


def test_logo_is_embedded_and_a_missing_or_oversized_one_is_left_out(applicant, approver, unit, settings,
                                                                     django_capture_on_commit_callbacks):
    letterhead = Letterhead.load()
    letterhead.logo = _image("wappen", (120, 60))
    letterhead.save()
    requests = [leave_request(applicant=applicant, unit=unit, step_permission="decide_leave",
                              start=None) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=requests[0], actor=approver, decision="reject", comment="a")
    first = document_of(requests[0])
    assert first.warnings == "" and len([i for p in read(first).pages for i in p.images]) == 2  # logo and QR code

    letterhead.logo.file.storage.delete(letterhead.logo.file.name)
    letterhead.logo.file_size = None
    letterhead.logo.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=requests[1], actor=approver, decision="reject", comment="b")
    assert "logo left out" in document_of(requests[1]).warnings

    letterhead.logo = _image("riesig", (settings.LETTERHEAD_LOGO_MAX_PIXELS + 1, 10))
    letterhead.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_decide(request=requests[2], actor=approver, decision="reject", comment="c")
    assert "Pixel" in document_of(requests[2]).warnings  # in the applicant's language
    assert document_of(requests[2]).status == DocumentStatus.ISSUED


def test_oversized_logo_is_refused_in_the_setting(db, settings):
    from django.core.exceptions import ValidationError

    letterhead = Letterhead.load()
    letterhead.logo = _image("riesig", (settings.LETTERHEAD_LOGO_MAX_PIXELS + 1, 10))
    with pytest.raises(ValidationError):
        letterhead.full_clean()


def test_download_for_applicant_and_approver_only(decided, applicant, approver, colleague, client_for):
    document = document_of(decided)
    url = f"/requests/{decided.reference}/documents/{document.pk}/"
    for person in (applicant, approver):
        response = client_for(person).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == document.file.open("rb").read()
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(applicant).get(f"/requests/{decided.reference}/").content.decode().count(url) == 1
