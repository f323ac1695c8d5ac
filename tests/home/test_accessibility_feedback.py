"""Barrier reports: the accessibility statement's feedback form is a generic service that the editors decide."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from home import editorial
from home.models import AccessibilityStatementPage, ServicePage
from portal.models import OrgUnit
from portal.responsibilities import RESPONSIBILITY_CODENAMES
from services import permissions
from services.delegation.services import responsibility_grant
from services.models import EventAction, RequestStatus, ServiceRequest
from tests.factories import UserFactory

BARRIER_QUESTIONS = [
    {"type": "short_text", "id": "where", "value": {"label": "Auf welcher Seite oder bei welchem Dienst?", "help_text": "",
                                                   "required": True}},
    {"type": "long_text", "id": "what", "value": {"label": "Was ist passiert?", "help_text": "", "required": True}},
    {"type": "short_text", "id": "assistive", "value": {"label": "Welche Hilfsmittel nutzen Sie?", "help_text": "",
                                                       "required": False}},
    {"type": "file", "id": "screenshot", "value": {"label": "Bildschirmfoto", "help_text": "", "required": False}},
    {"type": "yes_no", "id": "contact", "value": {"label": "Dürfen wir Sie für Rückfragen kontaktieren?", "help_text": "",
                                                  "required": True}},
]


@pytest.fixture(autouse=True)
def private_files():
    """Whatever the test stores in private storage (the screenshot) is removed afterwards."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    before = set(root.rglob("*"))
    yield
    for path in set(root.rglob("*")) - before:
        if path.is_file():
            path.unlink()


@pytest.fixture
def editors(unit):
    """Wagtail's Editors group, holding the accessibility feedback for the whole city (as seed_demo sets it up)."""
    group = Group.objects.get(name=editorial.EDITORS_GROUP)
    admin = UserFactory(is_superuser=True, is_staff=True)
    responsibility_grant(actor=admin, holder=group, unit=OrgUnit.objects.get(code="STADT"),
                         codenames=["handle_accessibility_feedback"])
    return group


@pytest.fixture
def eva(editor, editors):
    editor.groups.add(editors)
    return editor


@pytest.fixture
def barrier_page(site) -> ServicePage:
    index = site["services"]["leave"].get_parent()
    page = ServicePage(title="Barriere melden", slug="barriere-melden", kind="generic",
                       decided_by="handle_accessibility_feedback", questions=BARRIER_QUESTIONS)
    index.add_child(instance=page)
    page.save_revision().publish()
    return ServicePage.objects.get(pk=page.pk)


@pytest.fixture
def statement(site, barrier_page):
    page = AccessibilityStatementPage(title="Erklärung zur Barrierefreiheit", slug="barrierefreiheit",
                                      feedback_page=barrier_page)
    site["home"].add_child(instance=page)
    return page


def screenshot() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("kalender.png", buffer.getvalue(), content_type="image/png")


def test_handling_accessibility_feedback_is_a_responsibility():
    assert "handle_accessibility_feedback" in RESPONSIBILITY_CODENAMES
    assert "handle_accessibility_feedback" in dict(OrgUnit._meta.permissions)
    assert "handle_accessibility_feedback" in dict(ServicePage._meta.get_field("decided_by").choices)


def test_the_statement_links_to_the_barrier_form(client, statement, barrier_page):
    html = client.get(statement.url).content.decode()

    assert f'href="{barrier_page.url}"' in html


def test_a_barrier_report_reaches_the_editors_and_eva_decides_it(barrier_page, applicant, applicant_client, eva, client_for,
                                                                 colleague, django_capture_on_commit_callbacks, mailoutbox):
    form = applicant_client.get(barrier_page.url).content.decode()
    assert 'name="extra-what"' in form and 'name="extra-screenshot"' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(barrier_page.url, {
            "subject": "Kalender nicht mit der Tastatur bedienbar", "extra-where": "Urlaub beantragen",
            "extra-what": "Der Kalender im Feld „Erster Urlaubstag“ lässt sich mit der Tastatur nicht schließen.",
            "extra-assistive": "NVDA 2025.1", "extra-screenshot": screenshot(), "extra-contact": "yes", "action": "submit",
        })

    report = ServiceRequest.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == f"/requests/{report.reference}/"
    assert report.kind == "generic" and report.step_permission == "handle_accessibility_feedback" and not report.unassigned
    answers = {entry["id"]: entry["answer"] for entry in report.extra_answers["questions"]}
    assert answers["contact"] is True and answers["assistive"] == "NVDA 2025.1"
    assert answers["screenshot"]["name"] == "kalender.png"
    assert eva in permissions.entitled_users(report)
    assert any(mail.to == [eva.email] for mail in mailoutbox), "the editors are told"
    assert report not in permissions.requests_decidable_by(colleague)

    eva_client = client_for(eva)
    assert report.reference in eva_client.get("/queue/").content.decode()
    detail = eva_client.get(f"/requests/{report.reference}/").content.decode()
    assert "Kalender nicht mit der Tastatur bedienbar" in detail and "Welche Hilfsmittel nutzen Sie?" in detail

    response = eva_client.post(f"/requests/{report.reference}/decide/", {
        "decision": "approve", "expected_step": report.current_step, "comment": "Danke, wir beheben es bis Monatsende."})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == RequestStatus.APPROVED
    decision = report.events.get(action=EventAction.APPROVED)
    assert decision.actor == eva and decision.comment == "Danke, wir beheben es bis Monatsende."
