"""Reminders, escalation and the barrier-report clock, each run twice in a row: the second run sends nothing."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from home.models import ServicePage
from portal.models import OrgUnit
from services import workflow
from services.delegation.services import delegation_create, responsibility_grant
from services.kinds import registry
from services.kinds.generic import GenericRequest, barrier_report_due
from services.leave.models import LeaveRequest, MunicipalDayOff
from services.leave.rules import count_days
from services.models import Notification
from services.reminders.models import ReminderReason, ReminderSent
from services.reminders.services import reminders_send
from tests.factories import DeliveredOutbox, UserFactory, leave_type_record, next_monday

LIMITS = {"REMINDER_AFTER_WORKING_DAYS": {"default": 5, "leave": 3},
          "ESCALATION_AFTER_WORKING_DAYS": {"default": 10, "leave": 6}}

@pytest.fixture
def mailoutbox(mailoutbox):
    """What was delivered, with the outbox sent first (tests.factories.DeliveredOutbox)."""
    return DeliveredOutbox(mailoutbox)



@pytest.fixture(autouse=True)
def limits():
    with override_settings(**LIMITS):
        yield


def file_leave(applicant):
    start = next_monday(4)
    end = start + datetime.timedelta(days=2)
    return workflow.request_submit(applicant=applicant, kind=registry.get("leave"), details=LeaveRequest(
        leave_type=leave_type_record(), start_date=start, end_date=end, working_days=count_days(start=start, end=end)))


def at(days: int):
    """`days` calendar days after the pinned Wednesday, at 07:00 (when cron runs)."""
    moment = timezone.localtime().replace(hour=7, minute=0) + datetime.timedelta(days=days)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def delegate(unit, approver):
    """Clara decides leave for Bernd (a delegation of his responsibility)."""
    clara = UserFactory(unit=unit, email="clara.wolf@musterstadt.example")
    now = timezone.now()
    delegation_create(delegator=approver, delegate=clara, unit=unit, codenames=["decide_leave"],
                      starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=60),
                      reason="Vertretung")
    return clara


def sent(reason: ReminderReason) -> set[str]:
    return {record.recipient.email for record in ReminderSent.objects.filter(reason=reason).select_related("recipient")}


def test_nothing_is_sent_before_the_limit(applicant, approver, mailoutbox):
    file_leave(applicant)
    mailoutbox.clear()
    with at(5):  # the next Monday: Thursday and Friday have passed, two working days
        assert reminders_send().total == 0
    assert mailoutbox == []


def test_a_waiting_request_reminds_everyone_entitled_once(applicant, approver, delegate, mailoutbox):
    request = file_leave(applicant)
    mailoutbox.clear()

    with at(6):  # Tuesday: Thursday, Friday and Monday have passed, three working days
        first = reminders_send()
        second = reminders_send()

    assert first.counts[ReminderReason.REMINDER] == 2 and second.total == 0
    assert sent(ReminderReason.REMINDER) == {approver.email, delegate.email}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([approver.email, delegate.email])
    assert all(request.reference in mail.subject for mail in mailoutbox)
    assert Notification.objects.filter(request=request, recipient=delegate, url=f"/requests/{request.reference}/").exists()
    record = ReminderSent.objects.get(recipient=delegate)
    assert record.days_waited == 3 and record.step == 1
    assert applicant.email not in sent(ReminderReason.REMINDER)


def test_after_the_second_limit_the_holder_at_the_root_is_told(applicant, approver, delegate, mailoutbox):
    request = file_leave(applicant)
    with at(6):
        reminders_send()
    mailoutbox.clear()

    with at(9):  # Friday of the next week: six working days
        first = reminders_send()
        second = reminders_send()

    assert first.counts[ReminderReason.ESCALATION] == 1 and first.counts[ReminderReason.REMINDER] == 0
    assert second.total == 0
    assert sent(ReminderReason.ESCALATION) == {approver.email}, "Bernd holds what Clara decides under; she is not escalated to"
    assert [mail.to for mail in mailoutbox] == [[approver.email]]
    assert request.reference in mailoutbox[0].subject and delegate.get_full_name() in mailoutbox[0].body


def test_holidays_and_days_off_do_not_count(applicant, approver, mailoutbox):
    file_leave(applicant)
    today = timezone.localdate()
    MunicipalDayOff.objects.create(date=today + datetime.timedelta(days=1), name="Stadtfest")
    with at(6):  # Thursday was the city's day off: two working days only
        assert reminders_send().total == 0
    with at(7):
        assert reminders_send().counts[ReminderReason.REMINDER] == 1


def test_a_decided_request_is_not_reminded(applicant, approver, mailoutbox):
    request = file_leave(applicant)
    workflow.request_decide(request=request, actor=approver, decision="approve")
    with at(20):
        assert reminders_send().total == 0


def test_a_resubmitted_request_waits_anew(applicant, approver, mailoutbox):
    request = file_leave(applicant)
    with at(6):
        assert reminders_send().total == 1
        workflow.request_decide(request=request, actor=approver, decision="request_changes", comment="Bitte kürzen")
        request.refresh_from_db()
        workflow.request_resubmit(request=request, actor=applicant, details=request.details)
    with at(8):  # Thursday: one working day since the resubmission
        assert reminders_send().total == 0
    with at(12):  # the Monday after: Wednesday, Thursday and Friday have passed
        assert reminders_send().counts[ReminderReason.REMINDER] == 1
        assert reminders_send().total == 0
    assert ReminderSent.objects.filter(request=request, recipient=approver).count() == 2


def test_the_command_prints_what_it_sent(applicant, approver, capsys):
    file_leave(applicant)
    with at(6):
        call_command("send_reminders")
        call_command("send_reminders")
    out = capsys.readouterr().out
    assert out.count("reminder: 1") == 1 and out.count("reminder: 0") == 1


# --- Barrier reports ------------------------------------------------------------------------------------

@pytest.fixture
def editors(unit, editor):
    group = Group.objects.get(name="Editors")
    editor.groups.add(group)
    responsibility_grant(actor=UserFactory(is_superuser=True), holder=group, unit=OrgUnit.objects.get(code="STADT"),
                         codenames=["handle_accessibility_feedback"])
    return group


@pytest.fixture
def barrier_report(site, applicant, editors):
    index = site["services"]["leave"].get_parent()
    page = index.add_child(instance=ServicePage(title="Barriere melden", slug="barriere-melden", kind="generic",
                                                decided_by="handle_accessibility_feedback"))
    return workflow.request_submit(applicant=applicant, kind=registry.get("generic"), service_page=page,
                                   details=GenericRequest(subject="Kalender nicht mit der Tastatur bedienbar"))


def test_a_barrier_report_is_due_a_month_after_it_arrived(barrier_report):
    assert barrier_report_due(barrier_report) == timezone.localdate() + datetime.timedelta(days=31)  # July has 31 days


def test_barrier_reports_remind_the_editors_after_14_and_28_days(barrier_report, editor, approver, mailoutbox):
    mailoutbox.clear()
    with at(13):
        assert reminders_send().total == 0
    with at(14):
        first, second = reminders_send(), reminders_send()
    # Eva through the editors' group; Bernd holds every responsibility for the Ordnungsamt, this one too.
    assert first.counts[ReminderReason.BARRIER_REPORT_14_DAYS] == 2 and second.total == 0
    with at(28):
        first, second = reminders_send(), reminders_send()
    assert first.counts[ReminderReason.BARRIER_REPORT_28_DAYS] == 2 and second.total == 0
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([editor.email, approver.email] * 2)
    due = barrier_report_due(barrier_report).strftime("%d.%m.%Y")
    assert all(due in mail.subject for mail in mailoutbox)
    assert sent(ReminderReason.REMINDER) == set(), "the working-day reminders do not apply to barrier reports"
    with at(40):
        assert reminders_send().total == 0


def test_the_answer_to_a_barrier_report_names_the_conciliation_body(barrier_report, editor, client_for, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with override_settings(BARRIER_CONCILIATION_BODY={"name": "Schlichtungsstelle BGG", "address": "Mauerstraße 53, Berlin",
                                                      "url": "https://schlichtung.example/"}):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.request_decide(request=barrier_report, actor=editor, decision="approve", comment="Behoben.")
    answer = next(mail for mail in mailoutbox if mail.to == [barrier_report.applicant.email])
    assert "Schlichtungsstelle BGG" in answer.body and "Mauerstraße 53, Berlin" in answer.body
    assert "https://schlichtung.example/" in answer.body


def test_the_editors_see_the_due_date(barrier_report, editor, client_for):
    due = barrier_report_due(barrier_report).strftime("%d.%m.%Y")
    client = client_for(editor)
    assert due in client.get(f"/requests/{barrier_report.reference}/").content.decode()
    assert due in client.get("/queue/").content.decode()
