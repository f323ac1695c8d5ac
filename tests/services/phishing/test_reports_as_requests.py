"""A phishing report behaves like a request of its own kind: the reporter follows its state and outcome in a list of
their own, from the dashboard and from "my requests"; IT security sees its open cases on the dashboard like a queue."""

import re

import pytest

from services.phishing.models import Classification
from services.phishing.services import phishing_case_classify, phishing_report_create
from tests.services.phishing.test_phishing import email_report


@pytest.fixture
def security(unit):
    from tests.factories import make_holder

    return make_holder(unit.get_parent(), "review_it_security", email="deniz.yilmaz@musterstadt.example")


def states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-report="(\d+)" data-state="(\w+)"', html))


def test_the_reporters_list_shows_each_reports_state(applicant, security, client_for, django_capture_on_commit_callbacks):
    first = phishing_report_create(reporter=applicant, content=email_report(subject="Konto gesperrt"))
    second = phishing_report_create(reporter=applicant, content=email_report(subject="Gewinnspiel"))
    client = client_for(applicant, mfa=False)
    assert states(client.get("/phishing/").content.decode()) == {str(first.pk): "waiting", str(second.pk): "waiting"}

    with django_capture_on_commit_callbacks(execute=True):
        phishing_case_classify(case=first.case, actor=security, classification=Classification.SPAM)

    html = client.get("/en/phishing/").content.decode()
    assert states(html) == {str(first.pk): "decided", str(second.pk): "waiting"}
    assert "decided by IT security on" in html


def test_the_dashboard_counts_the_reporters_waiting_and_decided_reports(applicant, security, client_for, site,
                                                                       django_capture_on_commit_callbacks):
    decided = phishing_report_create(reporter=applicant, content=email_report(subject="Konto gesperrt"))
    phishing_report_create(reporter=applicant, content=email_report(subject="Gewinnspiel"))
    phishing_report_create(reporter=applicant, content=email_report(subject="Paket wartet"))
    with django_capture_on_commit_callbacks(execute=True):
        phishing_case_classify(case=decided.case, actor=security, classification=Classification.HARMLESS)

    html = client_for(applicant, mfa=False).get("/").content.decode()
    assert 'data-phishing-waiting="2" data-phishing-decided="1"' in html
    assert 'href="/phishing/"' in html
    assert "data-phishing-open-cases" not in html, "only IT security sees its queue"


def test_it_security_sees_its_open_cases_on_the_dashboard(applicant, security, client_for, site):
    phishing_report_create(reporter=applicant, content=email_report(subject="Konto gesperrt"))
    phishing_report_create(reporter=applicant, content=email_report(subject="Gewinnspiel"))

    html = client_for(security).get("/").content.decode()
    assert 'data-phishing-open-cases="2"' in html
    assert 'href="/phishing/cases/"' in html


def test_my_requests_leads_to_the_phishing_reports(applicant_client):
    html = applicant_client.get("/requests/").content.decode()
    assert 'id="phishing-reports-link"' in html and 'href="/phishing/"' in html
