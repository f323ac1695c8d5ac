"""An editor-built service (kind "generic"): a page of extra questions, decided by the responsibility the page names."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from home.models import ServicePage
from portal.models import OrgUnit
from services import workflow
from services.kinds import registry
from services.models import EventAction, RequestStatus, ServiceRequest
from tests.factories import make_holder, next_monday

GENERIC = registry.get("generic")

BICYCLE_QUESTIONS = [
    {"type": "date", "id": "from", "value": {"label": "Ab wann?", "help_text": "", "required": True}},
    {"type": "choice", "id": "bike", "value": {"label": "Welches Rad?", "help_text": "", "required": True,
                                               "options": ["Fahrrad", "Pedelec"]}},
    {"type": "yes_no", "id": "instructed", "value": {"label": "Eingewiesen?", "help_text": "", "required": False}},
]


@pytest.fixture
def bicycle_page(site) -> ServicePage:
    """What an editor publishes in Wagtail: no typed fields beyond a subject, only extra questions."""
    index = site["services"]["leave"].get_parent()
    page = ServicePage(title="Dienstfahrrad ausleihen", slug="dienstfahrrad", kind="generic", decided_by="decide_equipment_loan",
                       questions=BICYCLE_QUESTIONS, intro="<p>Für Außentermine.</p>")
    index.add_child(instance=page)
    page.save_revision().publish()
    return ServicePage.objects.get(pk=page.pk)


def bicycle_post(**overrides) -> dict:
    data = {"subject": "Pedelec für den Wochenmarkt", "extra-from": next_monday().isoformat(), "extra-bike": "Pedelec",
            "extra-instructed": "yes", "action": "submit"}
    data.update(overrides)
    return data


def test_generic_kind_is_registered_with_only_a_subject_field():
    assert GENERIC is not None and GENERIC.steps == ()
    assert list(GENERIC.form_class(applicant=None).fields) == ["subject"]


def test_decided_by_offers_the_unit_responsibilities():
    field = ServicePage._meta.get_field("decided_by")
    assert [value for value, _ in field.choices] == [codename for codename, _ in OrgUnit._meta.permissions]


def test_a_generic_page_needs_someone_to_decide(site):
    page = ServicePage(title="Ohne Zuständigkeit", slug="ohne", kind="generic")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "decided_by" in error.value.message_dict
    page.decided_by = "decide_leave"
    page.clean()
    ServicePage(title="Urlaub", slug="urlaub", kind="leave").clean()  # kinds with their own steps need nothing


def test_generic_service_from_page_to_decision(bicycle_page, applicant, applicant_client, approver, client_for,
                                               django_capture_on_commit_callbacks, mailoutbox):
    form_page = applicant_client.get(bicycle_page.url).content.decode()
    assert 'name="subject"' in form_page and 'name="extra-bike"' in form_page and "Für Außentermine." in form_page

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(bicycle_page.url, bicycle_post())
    request = ServiceRequest.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == f"/requests/{request.reference}/"
    assert request.kind == "generic" and request.generic.subject == "Pedelec für den Wochenmarkt"
    assert request.step_plan == ["decide_equipment_loan"]
    assert request.step_permission == "decide_equipment_loan" and not request.unassigned
    assert [entry["answer"] for entry in request.extra_answers["questions"]] == [next_monday().isoformat(), "Pedelec", True]
    assert any(mail.to == [approver.email] for mail in mailoutbox), "the approver is told"

    approver_client = client_for(approver)
    assert request.reference in approver_client.get("/queue/").content.decode()
    detail = approver_client.get(f"/requests/{request.reference}/").content.decode()
    assert "Pedelec für den Wochenmarkt" in detail and "Welches Rad?" in detail and "Eingewiesen?" in detail

    decided = workflow.request_decide(request=request, actor=approver, decision="approve", comment="Gute Fahrt.",
                                      expected_step=1)
    assert decided.status == RequestStatus.APPROVED
    assert list(decided.events.values_list("action", flat=True)) == [EventAction.SUBMITTED, EventAction.APPROVED]


def test_only_holders_of_the_named_responsibility_decide(bicycle_page, applicant, applicant_client, unit):
    leave_only = make_holder(unit, "decide_leave")
    applicant_client.post(bicycle_page.url, bicycle_post())
    request = ServiceRequest.objects.get(applicant=applicant)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_decide(request=request, actor=leave_only, decision="approve")


def test_editing_the_page_later_does_not_reroute_a_running_request(bicycle_page, applicant, applicant_client, approver, unit):
    applicant_client.post(bicycle_page.url, bicycle_post())
    request = ServiceRequest.objects.get(applicant=applicant)
    bicycle_page.decided_by = "review_it_security"
    bicycle_page.save_revision().publish()

    workflow.request_decide(request=request, actor=approver, decision="request_changes", comment="Welcher Tag genau?")
    response = applicant_client.post(f"/requests/{request.reference}/edit/",
                                     bicycle_post(**{"extra-from": (next_monday() + datetime.timedelta(days=1)).isoformat()}))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert request.step_plan == ["decide_equipment_loan"] and request.step_permission == "decide_equipment_loan"

    applicant_client.post(bicycle_page.url, bicycle_post(subject="Zweites Rad"))
    second = ServiceRequest.objects.filter(applicant=applicant).exclude(pk=request.pk).get()
    assert second.step_plan == ["review_it_security"] and second.step_permission == "review_it_security"


def test_a_generic_request_without_a_decider_is_refused(bicycle_page, applicant):
    ServicePage.objects.filter(pk=bicycle_page.pk).update(decided_by="")
    page = ServicePage.objects.get(pk=bicycle_page.pk)
    details = GENERIC.form_class({"subject": "Rad"}, applicant=applicant)
    assert details.is_valid()
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.request_submit(applicant=applicant, kind=GENERIC, details=details.save(commit=False), service_page=page)
    assert not ServiceRequest.objects.filter(applicant=applicant).exists()


def test_a_generic_page_without_a_decider_is_not_served(bicycle_page, applicant_client):
    ServicePage.objects.filter(pk=bicycle_page.pk).update(decided_by="not_a_responsibility")
    assert applicant_client.get(bicycle_page.url).status_code == 404


def test_my_requests_lists_the_subject(bicycle_page, applicant, applicant_client):
    applicant_client.post(bicycle_page.url, bicycle_post())
    assert "Pedelec für den Wochenmarkt" in applicant_client.get("/requests/").content.decode()


def test_editors_find_the_questions_and_the_decider_in_the_page_editor(bicycle_page, client_for, user_factory):
    admin = user_factory(is_staff=True, is_superuser=True)
    response = client_for(admin).get(f"/admin/pages/{bicycle_page.pk}/edit/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="decided_by"' in content and "Welches Rad?" in content and 'name="kind"' in content
