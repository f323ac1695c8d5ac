"""An editor-built (generic) service is called by its service's name everywhere, not by the generic kind's label."""

from django.utils import translation
from wagtail.models import Locale

from services.kinds import registry
from services.models import ServiceRequest
from tests.home.test_generic_service import bicycle_page, bicycle_post  # noqa: F401 (the fixture)

GENERIC_LABELS = ("Other service", "Sonstiger Selbstservice")


def file_bicycle_request(applicant_client, page, django_capture_on_commit_callbacks) -> ServiceRequest:
    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(page.url, bicycle_post())
    return ServiceRequest.objects.get(kind="generic")


def english_translation(page, title: str):
    english = Locale.objects.get_or_create(language_code="en")[0]
    home = page.get_parent().get_parent()
    if not home.has_translation(english):
        home.copy_for_translation(english).save_revision().publish()
    index = page.get_parent()
    if not index.has_translation(english):
        index.copy_for_translation(english).save_revision().publish()
    translated = page.copy_for_translation(english)
    translated.title = title
    translated.save_revision().publish()
    return translated


def test_label_of_a_generic_request_is_its_services_name(bicycle_page, applicant_client,  # noqa: F811
                                                         django_capture_on_commit_callbacks):
    request = file_bicycle_request(applicant_client, bicycle_page, django_capture_on_commit_callbacks)

    with translation.override("de"):
        assert request.kind_label == "Dienstfahrrad ausleihen"
    assert registry.get("leave").label_for(request) == str(registry.get("leave").label)


def test_lists_and_request_page_name_the_service(bicycle_page, applicant_client, approver, client_for,  # noqa: F811
                                                 django_capture_on_commit_callbacks):
    request = file_bicycle_request(applicant_client, bicycle_page, django_capture_on_commit_callbacks)
    pages = [applicant_client.get("/requests/"), applicant_client.get("/"),
             applicant_client.get(f"/requests/{request.reference}/"), client_for(approver).get("/queue/")]

    for response in pages:
        # The part about requests: the tables of lists, the main content of the request page (the dashboard also
        # links the test site's other generic service page, whose title is the kind's label).
        html = response.content.decode()
        part = html[html.find("<table"):html.rfind("</table>")] if "<table" in html else html[html.find("<main"):]
        assert response.status_code == 200
        assert "Dienstfahrrad ausleihen" in part, response.request["PATH_INFO"]
        assert not any(label in part for label in GENERIC_LABELS), response.request["PATH_INFO"]


def test_english_reader_sees_the_english_name_of_the_service(bicycle_page, applicant_client,  # noqa: F811
                                                             django_capture_on_commit_callbacks):
    request = file_bicycle_request(applicant_client, bicycle_page, django_capture_on_commit_callbacks)
    english_translation(bicycle_page, "Borrow a service bicycle")

    assert "Borrow a service bicycle" in applicant_client.get(f"/en/requests/{request.reference}/").content.decode()
    with translation.override("en"):
        assert request.kind_label == "Borrow a service bicycle"
    with translation.override("de"):
        assert ServiceRequest.objects.get(pk=request.pk).kind_label == "Dienstfahrrad ausleihen"


def test_a_generic_request_without_its_page_falls_back_to_the_kind(bicycle_page, applicant_client,  # noqa: F811
                                                                  django_capture_on_commit_callbacks):
    request = file_bicycle_request(applicant_client, bicycle_page, django_capture_on_commit_callbacks)
    ServiceRequest.objects.filter(pk=request.pk).update(service_page=None)

    with translation.override("en"):
        assert ServiceRequest.objects.get(pk=request.pk).kind_label == "Other service"
