"""The one entry point for cron: every job runs, twice in a row changes nothing the second time."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from services import workflow
from services.kinds import registry
from services.leave.models import LeaveExpiryNotice, LeaveRequest
from services.leave.rules import count_days
from services.reminders.models import ReminderSent
from tests.factories import DeliveredOutbox, leave_type_record, next_monday


@pytest.fixture
def mailoutbox(mailoutbox):
    """What was delivered, with the outbox sent first (tests.factories.DeliveredOutbox)."""
    return DeliveredOutbox(mailoutbox)



def test_every_job_runs_and_a_second_run_sends_nothing(applicant, approver, mailoutbox):
    start = next_monday(4)
    workflow.request_submit(applicant=applicant, kind=registry.get("leave"), details=LeaveRequest(
        leave_type=leave_type_record(), start_date=start, end_date=start, working_days=count_days(start=start, end=start)))
    january = datetime.datetime(timezone.localdate().year + 1, 1, 4, 7, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    with time_machine.travel(january, tick=False):
        first = StringIO()
        call_command("run_scheduled_jobs", stdout=first)
        mails = len(mailoutbox)
        second = StringIO()
        call_command("run_scheduled_jobs", stdout=second)
    for job in ("== publish", "== reminders", "== leave_expiry_notices", "== retention"):
        assert job in first.getvalue()
    assert set(ReminderSent.objects.filter(recipient=approver).values_list("reason", flat=True)) == {"reminder", "escalation"}
    assert LeaveExpiryNotice.objects.filter(employee=applicant).count() == 1
    assert len(mailoutbox) == mails, "the second run sent nothing"
    assert "leave_expiry_notices: 0" in second.getvalue() and "reminder: 0" in second.getvalue()


def test_a_failing_job_does_not_stop_the_others(monkeypatch, db):
    from services.management.commands import run_scheduled_jobs

    monkeypatch.setitem(run_scheduled_jobs.JOBS, "publish", "no_such_command")
    out = StringIO()
    with pytest.raises(CommandError, match="publish"):
        call_command("run_scheduled_jobs", stdout=out, stderr=StringIO())
    assert "== retention" in out.getvalue()
