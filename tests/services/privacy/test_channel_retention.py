"""Retention of the trust channels: closed Kummerkasten messages, classified phishing cases, survey free texts after
their round, and ended coffee presences go after their period; what is still open stays; dry runs only count."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from wagtail.models import Page

from services.coffee.models import CoffeePresence
from services.coffee.services import coffee_presence_start
from services.kummerkasten import services as kummerkasten_services
from services.kummerkasten.models import KummerkastenMessage, KummerkastenPost, KummerkastenTopic
from services.phishing.models import Classification, PhishingCase, PhishingIndicator, PhishingReport, PhishingWarning, ReportKind
from services.phishing.services import ReportContent, phishing_case_classify, phishing_report_create
from services.privacy import retention
from services.surveys.models import FreeTextStatus, SurveyAnswer
from services.surveys.services import survey_answer_submit, survey_round_close
from tests.factories import make_holder
from tests.services.surveys.helpers import scores_for, survey_with_open_round

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def at(day: datetime.date, hour: int = 9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=BERLIN), tick=False)


def days(day: datetime.date, count: int) -> datetime.date:
    return day + datetime.timedelta(days=count)


MARCH = datetime.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def periods(settings):
    settings.KUMMERKASTEN_RETENTION_DAYS = 30
    settings.PHISHING_RETENTION_DAYS = 60
    settings.SURVEY_FREE_TEXT_RETENTION_DAYS = 90


# --- Kummerkasten -----------------------------------------------------------------------------------


@pytest.fixture
def kummer(unit):
    """A message written on 1 March 2027, answered and closed on 10 March."""
    cache.clear()  # the daily limit counts in the cache
    handler = make_holder(unit, "handle_kummerkasten")
    topic = KummerkastenTopic.objects.create(name="Arbeitsplatz", unit=unit)
    with at(MARCH):
        message, _code = kummerkasten_services.kummerkasten_message_create(writer_id=0, topic=topic, text="Heizung kaputt")
    with at(days(MARCH, 9)):
        kummerkasten_services.kummerkasten_answer_create(message=message, handler=handler, text="Wird repariert.")
        kummerkasten_services.kummerkasten_message_close(message=message, handler=handler)
    return message


def test_closing_records_the_day_only(kummer):
    kummer.refresh_from_db()
    assert kummer.closed_on == days(MARCH, 9)


def test_a_closed_message_goes_with_its_conversation_after_its_days(kummer):
    with at(days(MARCH, 9 + 30)):
        report = retention.retention_apply()
    assert KummerkastenMessage.objects.filter(pk=kummer.pk).exists()
    assert report.counts["kummerkasten_messages"] == 0
    with at(days(MARCH, 9 + 31)):
        report = retention.retention_apply()
    assert not KummerkastenMessage.objects.filter(pk=kummer.pk).exists()
    assert not KummerkastenPost.objects.filter(message_id=kummer.pk).exists()
    assert (report.counts["kummerkasten_messages"], report.counts["kummerkasten_posts"]) == (1, 2)


def test_an_open_or_answered_message_never_goes(unit):
    cache.clear()
    topic = KummerkastenTopic.objects.create(name="Arbeitsplatz", unit=unit)
    with at(MARCH):
        message, _code = kummerkasten_services.kummerkasten_message_create(writer_id=0, topic=topic, text="Frage")
    with at(days(MARCH, 3650)):
        retention.retention_apply()
    assert KummerkastenMessage.objects.filter(pk=message.pk).exists()


# --- Phishing ---------------------------------------------------------------------------------------


@pytest.fixture
def security(unit):
    return make_holder(unit.get_parent(), "review_it_security")


@pytest.fixture
def case(applicant, colleague, security, django_capture_on_commit_callbacks):
    """Reported on 1 and 2 March 2027, classified on 5 March."""
    content = ReportContent(kind=ReportKind.EMAIL, sender="noreply@bank.example", subject="Konto gesperrt",
                            headers="From: noreply@bank.example")
    with at(MARCH):
        report = phishing_report_create(reporter=applicant, content=content)
    with at(days(MARCH, 1)):
        phishing_report_create(reporter=colleague, content=content)
    with at(days(MARCH, 4)), django_capture_on_commit_callbacks(execute=True):
        phishing_case_classify(case=report.case, actor=security, classification=Classification.PHISHING)
    return report.case


def test_a_classified_case_goes_with_its_reports_after_its_days(case):
    with at(days(MARCH, 4 + 59)):
        retention.retention_apply()
    assert PhishingCase.objects.filter(pk=case.pk).exists()
    with at(days(MARCH, 4 + 61)):
        report = retention.retention_apply()
    assert not PhishingCase.objects.filter(pk=case.pk).exists()
    assert not PhishingReport.objects.exists() and not PhishingIndicator.objects.exists()
    assert (report.counts["phishing_cases"], report.counts["phishing_reports"]) == (1, 2)


def test_a_later_report_keeps_the_case(case, applicant):
    with at(days(MARCH, 40)):
        phishing_report_create(reporter=applicant, content=ReportContent(kind=ReportKind.EMAIL, subject="AW: Konto gesperrt"))
    with at(days(MARCH, 4 + 61)):
        retention.retention_apply()
    assert PhishingCase.objects.filter(pk=case.pk).exists()
    with at(days(MARCH, 40 + 61)):
        retention.retention_apply()
    assert not PhishingCase.objects.filter(pk=case.pk).exists()


def test_an_unclassified_case_waits_for_it_security(applicant):
    with at(MARCH):
        report = phishing_report_create(reporter=applicant, content=ReportContent(kind=ReportKind.EMAIL, subject="Paket"))
    with at(days(MARCH, 3650)):
        retention.retention_apply()
    assert PhishingCase.objects.filter(pk=report.case_id).exists()


def test_a_warning_in_moderation_keeps_its_case_and_a_published_page_stays(case, security, site):
    page = Page.objects.get(slug="phishing")
    with at(days(MARCH, 5)):
        warning = PhishingWarning.objects.create(case=case, page=page, alert_text="Achtung", requested_by=security)
    with at(days(MARCH, 200)):
        retention.retention_apply()
    assert PhishingCase.objects.filter(pk=case.pk).exists(), "its alert must still go up when the page is published"
    PhishingWarning.objects.filter(pk=warning.pk).update(published_at=warning.created_at)
    with at(days(MARCH, 200)):
        retention.retention_apply()
    assert not PhishingCase.objects.filter(pk=case.pk).exists()
    assert Page.objects.filter(pk=page.pk).exists(), "the published warning page stays"


def test_the_data_export_holds_the_reports_until_they_go(case, applicant, client_for):
    exported = client_for(applicant, mfa=False).get("/account/security/my-data.json").json()
    assert [item["subject"] for item in exported["phishing_reports"]] == ["Konto gesperrt"]
    assert exported["phishing_reports"][0]["outcome"] == "phishing"
    with at(days(MARCH, 100)):
        retention.retention_apply()
    assert client_for(applicant, mfa=False).get("/account/security/my-data.json").json()["phishing_reports"] == []


# --- Pulse surveys ----------------------------------------------------------------------------------


@pytest.fixture
def closed_round(unit, applicant, colleague):
    """A round that ran from 1 to 14 March 2027, closed with two answers, one of them with a free text."""
    with at(MARCH):
        survey = survey_with_open_round(rounds=1)
        survey_round = survey.rounds.get()
        survey_answer_submit(survey_round=survey_round, user=applicant, scores=scores_for(survey), free_text="Zu viele Termine.")
        survey_answer_submit(survey_round=survey_round, user=colleague, scores=scores_for(survey, 2))
    with at(days(survey_round.last_day, 1)):
        survey_round_close(survey_round=survey_round)
    return survey_round


def test_free_texts_go_after_the_round_and_the_scores_stay(closed_round):
    last_day = closed_round.last_day
    with at(days(last_day, 90)):
        retention.retention_apply()
    assert SurveyAnswer.objects.filter(free_text="Zu viele Termine.").exists()
    with at(days(last_day, 91)):
        report = retention.retention_apply()
    answers = list(SurveyAnswer.objects.filter(round=closed_round))
    assert len(answers) == 2
    assert {(answer.free_text, answer.free_text_redacted, answer.free_text_status) for answer in answers} == {
        ("", "", FreeTextStatus.NONE)}
    assert sorted(sorted(answer.scores.values()) for answer in answers) == [[2, 2], [4, 4]]
    assert report.counts["survey_free_texts"] == 1


def test_a_released_free_text_goes_too(closed_round):
    SurveyAnswer.objects.filter(free_text_status=FreeTextStatus.PENDING).update(
        free_text="", free_text_redacted="Zu viele Termine.", free_text_status=FreeTextStatus.RELEASED)
    with at(days(closed_round.last_day, 91)):
        retention.retention_apply()
    assert not SurveyAnswer.objects.exclude(free_text_redacted="").exists()


# --- Coffee kitchen ---------------------------------------------------------------------------------


def test_ended_coffees_go_even_when_nobody_visits_the_kitchen(applicant, colleague):
    with at(MARCH, 9):
        coffee_presence_start(user=applicant, minutes=10)
    with at(MARCH, 10):
        coffee_presence_start(user=colleague, minutes=30)  # clears Anna's ended coffee on the way
        coffee_presence_start(user=applicant, minutes=10)
    with at(MARCH, 11):
        report = retention.retention_apply()
    assert not CoffeePresence.objects.exists()
    assert report.counts["coffee_presences"] == 2
    with at(MARCH, 11):
        coffee_presence_start(user=applicant, minutes=10)
        retention.retention_apply()
    assert CoffeePresence.objects.filter(user=applicant).exists(), "a coffee that has not ended stays"


# --- All channels at once ---------------------------------------------------------------------------


def test_a_dry_run_counts_each_channel_and_changes_nothing(kummer, case, closed_round, applicant):
    with at(MARCH, 9):
        coffee_presence_start(user=applicant, minutes=10)
    day = days(MARCH, 200)
    out = io.StringIO()
    with at(day):
        call_command("apply_retention", "--dry-run", stdout=out)
        dry = retention.retention_apply(dry_run=True)
    assert KummerkastenMessage.objects.exists() and PhishingCase.objects.exists() and CoffeePresence.objects.exists()
    assert SurveyAnswer.objects.filter(free_text_status=FreeTextStatus.PENDING).exists()
    for line in ("kummerkasten_messages: 1", "kummerkasten_posts: 2", "phishing_cases: 1", "phishing_reports: 2",
                 "survey_free_texts: 1", "coffee_presences: 1"):
        assert f"  {line}\n" in out.getvalue()
    with at(day):
        real = retention.retention_apply()
        again = retention.retention_apply()
    assert dry.counts == real.counts
    assert set(again.counts.values()) == {0}


@pytest.mark.parametrize("name", ["KUMMERKASTEN_RETENTION_DAYS", "PHISHING_RETENTION_DAYS", "SURVEY_FREE_TEXT_RETENTION_DAYS"])
def test_a_bad_channel_period_is_refused_with_the_setting_named(settings, name):
    from django.core.exceptions import ImproperlyConfigured

    setattr(settings, name, 0)
    with pytest.raises(ImproperlyConfigured, match=name):
        retention.retention_rules()
