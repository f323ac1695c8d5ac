"""The retention run: what goes when, that pending requests and counted leave stay, and that a run is all-or-nothing per request."""

import datetime
import io
import json
import logging
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from portal.settings.base import env_positive_int
from services.attachments import attachment_create
from services.leave.models import LeaveCancellation
from services.models import (
    Attachment,
    AuditAction,
    AuditEvent,
    EventAction,
    Notification,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from services.privacy import retention
from tests.factories import ServiceRequestFactory, leave_request

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0, second: int = 0):
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, second, tzinfo=BERLIN), tick=False)


def finished_leave(applicant, approver, *, start: datetime.date, status: str = RequestStatus.APPROVED,
                   leave_type: str = "special") -> ServiceRequest:
    """A decided leave request with its event, an attachment and a notification, as of the travelled-to day."""
    request = leave_request(applicant=applicant, status=status, start=start, leave_type=leave_type)
    ServiceRequest.objects.filter(pk=request.pk).update(decided_at=request.submitted_at)
    RequestEvent.objects.create(request=request, action=EventAction.SUBMITTED, actor=applicant, to_status=RequestStatus.SUBMITTED)
    RequestEvent.objects.create(request=request, action=EventAction.APPROVED, actor=approver, from_status=RequestStatus.SUBMITTED,
                                to_status=status)
    attachment_create(request=request, uploaded=SimpleUploadedFile("nachweis.pdf", b"%PDF-1.4\n%%EOF\n"), uploaded_by=applicant)
    Notification.objects.create(recipient=applicant, request=request, message="Ihr Antrag wurde entschieden.")
    return request


def gone(request: ServiceRequest) -> bool:
    return not ServiceRequest.objects.filter(pk=request.pk).exists()


@pytest.fixture
def leave_2026(applicant, approver):
    """Special leave taken and decided in March 2026: it closes in 2026, so with three years it goes on 1 January 2030."""
    with at(2026, 3, 2):
        return finished_leave(applicant, approver, start=datetime.date(2026, 3, 9))


# --- when ---------------------------------------------------------------------------------------------


def test_kept_on_the_last_day_of_the_period(leave_2026):
    with at(2029, 12, 31, 23, 59, 59):
        report = retention.retention_apply()
    assert not gone(leave_2026)
    assert report.counts["leave_requests"] == 0


def test_removed_on_the_first_day_after_the_period(leave_2026, django_capture_on_commit_callbacks):
    with at(2030, 1, 1, 0, 0, 1), django_capture_on_commit_callbacks(execute=True):
        report = retention.retention_apply()
    assert gone(leave_2026)
    assert not RequestEvent.objects.filter(request_id=leave_2026.pk).exists()
    assert not Attachment.objects.filter(request_id=leave_2026.pk).exists()
    assert not Notification.objects.filter(request_id=leave_2026.pk).exists()
    assert report.counts == {"leave_requests": 1, "other_requests": 0, "request_events": 2, "attachments": 1,
                             "notifications": 1, "audit_events": 0, "kummerkasten_messages": 0, "kummerkasten_posts": 0,
                             "phishing_cases": 0, "phishing_reports": 0, "survey_free_texts": 0, "coffee_presences": 0,
                             "kept_for_leave_ledger": 0}


def test_leave_closes_with_its_last_day_not_with_its_decision(applicant, approver):
    """Approved in December 2026 for January 2027: the leave closes in 2027, and goes only on 1 January 2031."""
    with at(2026, 12, 1):
        request = finished_leave(applicant, approver, start=datetime.date(2027, 1, 11))
    with at(2030, 12, 31, 23, 0):
        retention.retention_apply()
    assert not gone(request)
    with at(2031, 1, 1, 0, 1):
        retention.retention_apply()
    assert gone(request)


def test_rejected_leave_closes_with_its_decision(applicant, approver):
    """Refused leave was never taken: its period counts from the year of the refusal, not from the days asked for."""
    with at(2026, 12, 1):
        request = finished_leave(applicant, approver, start=datetime.date(2027, 1, 11), status=RequestStatus.REJECTED)
    with at(2030, 1, 1, 0, 1):
        retention.retention_apply()
    assert gone(request)


def test_a_later_event_restarts_the_period(leave_2026, applicant):
    with at(2027, 2, 1):
        RequestEvent.objects.create(request=leave_2026, action=EventAction.CANCELLED, actor=applicant,
                                    from_status=RequestStatus.APPROVED, to_status=RequestStatus.APPROVED)
    with at(2030, 6, 1):
        retention.retention_apply()
    assert not gone(leave_2026)


def test_five_years_for_the_laender_that_keep_them(leave_2026, settings):
    settings.RETENTION_LEAVE_YEARS = 5
    settings.RETENTION_AUDIT_YEARS = 10
    with at(2031, 12, 31, 12):
        retention.retention_apply()
    assert not gone(leave_2026)
    with at(2032, 1, 1, 12):
        retention.retention_apply()
    assert gone(leave_2026)


def test_other_kinds_follow_their_own_setting(applicant, settings):
    with at(2026, 3, 2):
        vpn = ServiceRequestFactory(applicant=applicant, kind="generic", status=RequestStatus.REJECTED)
    settings.RETENTION_REQUEST_YEARS = 1
    with at(2027, 12, 31, 12):
        retention.retention_apply()
    assert not gone(vpn)
    with at(2028, 1, 1, 12):
        report = retention.retention_apply()
    assert gone(vpn)
    assert report.counts["other_requests"] == 1


# --- what never goes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW,
                                    RequestStatus.CHANGES_REQUESTED, RequestStatus.AWAITING_SUBSTITUTE])
def test_pending_requests_never_go(applicant, status):
    with at(2026, 3, 2):
        request = leave_request(applicant=applicant, status=status, start=datetime.date(2026, 3, 9))
    with at(2040, 1, 2):
        retention.retention_apply()
    assert not gone(request)


def test_approved_annual_leave_stays_while_the_ledger_counts_it(applicant, approver, settings):
    with at(2026, 3, 2):
        request = finished_leave(applicant, approver, start=datetime.date(2026, 3, 9), leave_type="annual")
    with at(2030, 1, 2):
        report = retention.retention_apply()
    assert not gone(request)
    assert report.counts["kept_for_leave_ledger"] == 1
    settings.LEAVE_LEDGER_START_YEAR = 2027
    with at(2030, 1, 2):
        report = retention.retention_apply()
    assert gone(request)
    assert report.counts["kept_for_leave_ledger"] == 0


def test_open_ended_approved_arrangement_stays(applicant):
    from services.kinds.remote_work import RemoteWorkRequest, RemoteWorkVariant

    with at(2026, 3, 2):
        request = ServiceRequestFactory(applicant=applicant, kind="remote_work", status=RequestStatus.APPROVED)
        RemoteWorkRequest.objects.create(
            request=request, variant=RemoteWorkVariant.values[0], start_date=datetime.date(2026, 4, 1), end_date=None,
            reachable_from=datetime.time(9), reachable_until=datetime.time(15), confirms_data_protection=True,
            confirms_ergonomics=True)
    with at(2035, 1, 2):
        retention.retention_apply()
    assert not gone(request)
    with at(2026, 3, 3):
        RemoteWorkRequest.objects.filter(request=request).update(end_date=datetime.date(2027, 3, 31))
    with at(2030, 12, 31, 12):
        retention.retention_apply()
    assert not gone(request), "the arrangement ended in 2027: kept until the end of 2030"
    with at(2031, 1, 1, 12):
        retention.retention_apply()
    assert gone(request)


def test_leave_goes_with_its_cancellations_and_waits_for_an_open_one(applicant, approver):
    with at(2026, 3, 2):
        leave = finished_leave(applicant, approver, start=datetime.date(2026, 3, 9))
        cancellation = ServiceRequestFactory(applicant=applicant, kind="leave_cancellation", status=RequestStatus.SUBMITTED)
        LeaveCancellation.objects.create(request=cancellation, original=leave, from_date=datetime.date(2026, 3, 11))
    with at(2030, 1, 2):
        retention.retention_apply()
    assert not gone(leave) and not gone(cancellation)
    with at(2026, 3, 4):
        ServiceRequest.objects.filter(pk=cancellation.pk).update(status=RequestStatus.APPROVED)
    with at(2030, 1, 2):
        report = retention.retention_apply()
    assert gone(leave) and gone(cancellation)
    assert report.counts["leave_requests"] == 2


# --- how ----------------------------------------------------------------------------------------------


def test_dry_run_changes_nothing_and_counts_what_would_go(leave_2026):
    with at(2030, 1, 2):
        dry = retention.retention_apply(dry_run=True)
    assert not gone(leave_2026)
    assert RequestEvent.objects.filter(request=leave_2026).count() == 2
    assert Attachment.objects.filter(request=leave_2026).count() == 1
    assert Notification.objects.filter(request=leave_2026).count() == 1
    with at(2030, 1, 2):
        real = retention.retention_apply()
    assert dry.counts == real.counts
    assert dry.dry_run and not real.dry_run


def test_files_are_removed_after_the_transaction(leave_2026, django_capture_on_commit_callbacks):
    file = Attachment.objects.get(request=leave_2026).file
    storage, name = file.storage, file.name
    assert storage.exists(name)
    with at(2030, 1, 2), django_capture_on_commit_callbacks(execute=False) as callbacks:
        retention.retention_apply()
    assert storage.exists(name), "no file goes before its rows are committed"
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


def test_a_second_run_removes_nothing(leave_2026):
    with at(2030, 1, 2):
        retention.retention_apply()
        again = retention.retention_apply()
    assert set(again.counts.values()) == {0}


def test_an_interrupted_run_leaves_each_request_untouched_or_fully_gone(applicant, approver, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    with at(2026, 3, 2):
        first = finished_leave(applicant, approver, start=datetime.date(2026, 3, 9))
        second = finished_leave(applicant, approver, start=datetime.date(2026, 3, 16))
    second_file = Attachment.objects.get(request=second).file
    original_delete = ServiceRequest.delete

    def delete_failing_on_second(self, *args, **kwargs):
        if self.pk == second.pk:
            raise RuntimeError("power cut")
        return original_delete(self, *args, **kwargs)

    monkeypatch.setattr(ServiceRequest, "delete", delete_failing_on_second)
    with at(2030, 1, 2), django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        retention.retention_apply()

    assert gone(first)
    assert not RequestEvent.objects.filter(request_id=first.pk).exists()
    assert not Attachment.objects.filter(request_id=first.pk).exists()
    # The second request's events, attachment and notification were deleted before the failure: all came back.
    assert not gone(second)
    assert RequestEvent.objects.filter(request=second).count() == 2
    assert Attachment.objects.filter(request=second).count() == 1
    assert Notification.objects.filter(request=second).count() == 1
    assert second_file.storage.exists(second_file.name)

    monkeypatch.setattr(ServiceRequest, "delete", original_delete)
    with at(2030, 1, 2):
        report = retention.retention_apply()
    assert gone(second) and report.counts["leave_requests"] == 1


def test_events_stay_immutable_outside_the_run(leave_2026):
    from services.models import ImmutableRecordError

    with pytest.raises(ImmutableRecordError):
        RequestEvent.objects.filter(request=leave_2026).delete()
    with pytest.raises(ImmutableRecordError):
        RequestEvent.objects.filter(request=leave_2026).update(comment="rewritten")
    with pytest.raises(ImmutableRecordError):
        AuditEvent.objects.all().delete()
    assert RequestEvent.objects.filter(request=leave_2026).count() == 2


def test_old_notifications_go_after_their_days(applicant, settings):
    settings.RETENTION_NOTIFICATION_DAYS = 30
    with at(2026, 3, 2):
        notification = Notification.objects.create(recipient=applicant, message="Willkommen")
    with at(2026, 3, 31):
        retention.retention_apply()
    assert Notification.objects.filter(pk=notification.pk).exists()
    with at(2026, 4, 2):
        report = retention.retention_apply()
    assert not Notification.objects.filter(pk=notification.pk).exists()
    assert report.counts["notifications"] == 1


def test_audit_events_go_after_their_years(approver):
    with at(2026, 5, 4):
        event = AuditEvent.objects.create(action=AuditAction.GRANTED, actor=approver, subject="Ordnungsamt")
    with at(2036, 12, 31, 12):
        retention.retention_apply()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    with at(2037, 1, 1, 12):
        report = retention.retention_apply()
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    assert report.counts["audit_events"] == 1


def test_the_run_is_logged_with_counts_only(leave_2026, caplog):
    with at(2030, 1, 2), caplog.at_level(logging.INFO, logger="portal.security"):
        retention.retention_apply(dry_run=True)
    [record] = [record for record in caplog.records if getattr(record, "security", {}).get("event") == "retention_applied"]
    line = json.dumps(record.security)
    assert record.security["leave_requests"] == 1 and record.security["dry_run"] is True
    assert "@" not in line and leave_2026.reference not in line


def test_command_prints_the_counts(leave_2026):
    out = io.StringIO()
    with at(2030, 1, 2):
        call_command("apply_retention", "--dry-run", stdout=out)
    assert not gone(leave_2026)
    assert "  leave_requests: 1\n" in out.getvalue()
    assert "  kept_for_leave_ledger: 0\n" in out.getvalue()


# --- settings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -1, "3", None, True])
def test_a_bad_period_is_refused_with_the_setting_named(settings, value):
    settings.RETENTION_LEAVE_YEARS = value
    with pytest.raises(ImproperlyConfigured, match="RETENTION_LEAVE_YEARS"):
        retention.retention_rules()


def test_audit_trail_may_not_be_shorter_than_the_requests(settings):
    settings.RETENTION_REQUEST_YEARS = 5
    settings.RETENTION_AUDIT_YEARS = 4
    with pytest.raises(ImproperlyConfigured, match="RETENTION_AUDIT_YEARS"):
        retention.retention_rules()


@pytest.mark.parametrize("value", ["0", "-2", "drei"])
def test_environment_values_are_checked(monkeypatch, value):
    monkeypatch.setenv("RETENTION_LEAVE_YEARS", value)
    with pytest.raises(ImproperlyConfigured, match="RETENTION_LEAVE_YEARS"):
        env_positive_int("RETENTION_LEAVE_YEARS", 3)


def test_environment_value_is_read(monkeypatch):
    monkeypatch.setenv("RETENTION_LEAVE_YEARS", "5")
    assert env_positive_int("RETENTION_LEAVE_YEARS", 3) == 5
