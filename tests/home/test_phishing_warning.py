"""In one step IT security turns a phishing case into a guidance page and the site-wide alert, through moderation."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from home import editorial
from home.models import GuidancePage, SiteAlert
from services.phishing.models import Classification, PhishingWarning, ReportKind
from services.phishing.services import ReportContent, phishing_case_classify, phishing_report_create
from tests.factories import UserFactory, make_holder


@pytest.fixture
def case(applicant, unit, site):
    editorial.guidance_workflow_assign(guidance_indexes=[site["guidance"]])
    security = make_holder(unit.get_parent(), "review_it_security", email="deniz.yilmaz@musterstadt.example")
    report = phishing_report_create(reporter=applicant, content=ReportContent(
        kind=ReportKind.EMAIL, sender="noreply@bank.example", subject="Konto gesperrt", links=("https://login.evil.example/k",)))
    return phishing_case_classify(case=report.case, actor=security, classification=Classification.PHISHING), security


def test_the_warning_goes_through_moderation_and_then_raises_the_alert(case, client_for):
    case, security = case
    response = client_for(security).post(f"/phishing/cases/{case.pk}/warning/", {
        "title": "Warnung: Konto gesperrt", "summary": "Phishing", "advice": "Nicht klicken.\nLöschen.",
        "alert_text": "Achtung: Phishing-Mail „Konto gesperrt“"})
    assert response.status_code == 302

    warning = PhishingWarning.objects.get()
    page = GuidancePage.objects.get(pk=warning.page_id)
    assert not page.live and not SiteAlert.load().is_showing()
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == security
    body = str(page.get_latest_revision_as_object().body.render_as_block())
    assert "hxxps://login[.]evil[.]example/k" in body and "noreply[@]bank[.]example" in body
    assert "evil.example" not in body and "<a " not in body

    frank = UserFactory(is_staff=True)
    frank.groups.add(Group.objects.get(name=editorial.MODERATORS_GROUP))
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, frank, "approve")

    page.refresh_from_db()
    alert = SiteAlert.load()
    assert page.live
    assert alert.is_showing() and alert.text == "Achtung: Phishing-Mail „Konto gesperrt“" and alert.link_page_id == page.pk
    assert PhishingWarning.objects.get().published_at is not None


def test_only_a_phishing_case_becomes_a_warning(case, client_for):
    case, security = case
    phishing_case_classify(case=case, actor=security, classification=Classification.SPAM)
    response = client_for(security).post(f"/phishing/cases/{case.pk}/warning/", {
        "title": "x", "advice": "y", "alert_text": "z"})
    assert response.status_code == 200 and not PhishingWarning.objects.exists()
