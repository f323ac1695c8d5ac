"""Phishing reports: grouped by sender, link or subject, first reporter credited, classified by IT security, every
reporter told; bad input refused with a clear message and nothing saved; links never clickable."""

import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from services.models import Notification
from services.phishing import parsing
from services.phishing.models import Classification, PhishingCase, PhishingReport, ReportKind
from services.phishing.services import ReportContent, phishing_case_classify, phishing_report_create
from tests.factories import UserFactory, make_holder

EML = (b"From: Musterstadt Bank <NoReply@bank-musterstadt.example>\r\nTo: anna.schmidt@musterstadt.example\r\n"
       b"Subject: Ihr Konto wird gesperrt\r\nDate: Wed, 1 Jul 2026 08:00:00 +0200\r\nMessage-ID: <1@evil.example>\r\n"
       b"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\n"
       b"Bitte bestaetigen: https://login.evil.example/konto?id=1 jetzt.\r\n--XX\r\nContent-Type: text/html\r\n\r\n"
       b'<a href="https://login.evil.example/konto?id=1">hier</a> <a href="javascript:alert(1)">x</a>\r\n--XX--\r\n')


@pytest.fixture
def security(unit):
    """Deniz, IT security for the whole city."""
    return make_holder(unit.get_parent(), "review_it_security", email="deniz.yilmaz@musterstadt.example",
                       first_name="Deniz", last_name="Yilmaz")


def email_report(**fields) -> ReportContent:
    return ReportContent(kind=ReportKind.EMAIL, **fields)


def test_eml_is_parsed_as_data(db):
    parsed = parsing.parse_eml(EML)

    assert parsed.sender == "noreply@bank-musterstadt.example"
    assert parsed.subject == "Ihr Konto wird gesperrt"
    assert parsed.links == ["https://login.evil.example/konto?id=1"]  # javascript: is no link to report
    assert "Message-ID" in parsed.headers


def test_defanged_addresses_cannot_be_followed():
    assert parsing.defang("https://login.evil.example/konto") == "hxxps://login[.]evil[.]example/konto"
    assert parsing.defang("noreply@bank.example") == "noreply[@]bank[.]example"


def test_reports_of_the_same_sender_link_or_subject_form_one_case_and_credit_the_first(applicant, colleague, unit):
    third, fourth = UserFactory(unit=unit), UserFactory(unit=unit)
    first = phishing_report_create(reporter=applicant, content=email_report(sender="Bank <noreply@bank.example>", subject="Konto"))
    same_sender = phishing_report_create(reporter=colleague, content=email_report(sender="NOREPLY@bank.example",
                                                                                  links=("https://evil.example/a",)))
    same_link = phishing_report_create(reporter=third, content=ReportContent(kind=ReportKind.WEBSITE,
                                                                             links=("https://evil.example/a",)))
    same_subject = phishing_report_create(reporter=fourth, content=email_report(sender="x@other.example", subject="AW: konto"))
    unrelated = phishing_report_create(reporter=fourth, content=email_report(subject="Gewinnspiel"))

    case = first.case
    assert {same_sender.case, same_link.case, same_subject.case} == {case}
    assert unrelated.case != case
    assert case.first_reporter == applicant
    assert case.reports.count() == 4


def test_classifying_notifies_every_reporter_once(applicant, colleague, security, django_capture_on_commit_callbacks):
    phishing_report_create(reporter=applicant, content=email_report(subject="Konto gesperrt"))
    phishing_report_create(reporter=colleague, content=email_report(subject="Konto gesperrt"))
    report = phishing_report_create(reporter=colleague, content=email_report(subject="Re: Konto gesperrt"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        phishing_case_classify(case=report.case, actor=security, classification=Classification.PHISHING, note="Bitte löschen.")

    assert sorted(message.to[0] for message in mail.outbox) == [applicant.email, colleague.email]
    assert Notification.objects.filter(recipient=applicant, url="/phishing/").count() == 1
    assert "Bitte löschen." in mail.outbox[0].body


def test_a_late_reporter_hears_the_outcome_at_once(applicant, colleague, security, django_capture_on_commit_callbacks):
    report = phishing_report_create(reporter=applicant, content=email_report(subject="Konto gesperrt"))
    phishing_case_classify(case=report.case, actor=security, classification=Classification.SIMULATION)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        phishing_report_create(reporter=colleague, content=email_report(subject="Konto gesperrt"))

    assert [message.to[0] for message in mail.outbox] == [colleague.email]


def test_only_it_security_classifies(applicant, colleague):
    from django.core.exceptions import PermissionDenied

    report = phishing_report_create(reporter=applicant, content=email_report(subject="Konto gesperrt"))
    with pytest.raises(PermissionDenied):
        phishing_case_classify(case=report.case, actor=colleague, classification=Classification.HARMLESS)
    assert PhishingCase.objects.get().classification == ""


def test_uploading_an_eml_through_the_form(applicant, client_for):
    client = client_for(applicant, mfa=False)
    response = client.post("/phishing/report/", {"kind": "email", "eml": SimpleUploadedFile("mail.eml", EML), "note": "nicht geklickt"})

    assert response.status_code == 302
    report = PhishingReport.objects.get()
    assert (report.sender, report.file_name, report.links) == (
        "noreply@bank-musterstadt.example", "mail.eml", ["https://login.evil.example/konto?id=1"])


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"kind": "email", "eml": lambda: SimpleUploadedFile("x.eml", b"\x89PNG\r\n\x1a\n\x00\x00binary")}, "eml", "keine E-Mail"),
    ({"kind": "email", "eml": lambda: SimpleUploadedFile("x.eml", b"just some words, no headers")}, "eml", "keine E-Mail"),
    ({"kind": "email", "eml": lambda: SimpleUploadedFile("big.eml", EML + b"a" * (30 * 1024 * 1024))}, "eml", "höchstens"),
    ({"kind": "website", "url": "javascript:alert(document.cookie)"}, "url", "http://"),
    ({"kind": "email", "links": "https://ok.example/\njavascript:alert(1)"}, "links", "keine Internetadresse"),
])
def test_bad_input_is_refused_clearly_and_nothing_is_saved(applicant, client_for, data, field, message):
    data = {key: value() if callable(value) else value for key, value in data.items()}
    response = client_for(applicant, mfa=False).post("/phishing/report/", data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not PhishingReport.objects.exists() and not PhishingCase.objects.exists()


def test_links_are_never_rendered_clickable(applicant, security, client_for):
    phishing_report_create(reporter=applicant, content=email_report(
        sender="noreply@evil.example", subject="Login https://evil.example/s", links=("https://login.evil.example/konto",),
        headers="From: noreply@evil.example\nX-Link: https://evil.example/h"))
    case = PhishingCase.objects.get()
    pages = [client_for(applicant, mfa=False).get("/phishing/").content.decode(),
             client_for(security).get(f"/phishing/cases/{case.pk}/").content.decode(),
             client_for(security).get("/phishing/cases/").content.decode()]

    for html in pages:
        assert "evil.example" not in html  # every occurrence is defanged: evil[.]example
        assert 'href="https://login' not in html
    assert "hxxps://login[.]evil[.]example/konto" in pages[1]


def test_it_security_classifies_on_the_case_page_and_others_find_no_case(applicant, colleague, security, client_for, caplog,
                                                                        django_capture_on_commit_callbacks):
    report = phishing_report_create(reporter=applicant, content=email_report(subject="Konto gesperrt"))
    url = f"/phishing/cases/{report.case.pk}/"

    assert client_for(colleague).get(url).status_code == 404
    assert client_for(applicant, mfa=False).get(url).status_code == 404
    assert client_for(security, mfa=False).get(url).status_code == 302  # to the second factor's setup first
    with caplog.at_level(logging.INFO, logger="portal.security"), django_capture_on_commit_callbacks(execute=True):
        response = client_for(security).post(url, {"classification": "phishing", "note": ""})

    assert response.status_code == 302
    assert PhishingCase.objects.get().classification == Classification.PHISHING
    line = next(record.security for record in caplog.records if record.getMessage() == "phishing_classified")
    assert line["classification"] == "phishing" and line["user"] == security.email
