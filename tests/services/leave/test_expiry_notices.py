"""The notice that leave would expire (BAG 9 AZR 423/16): each round once per person, its proof for HR."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from services.leave.expiry import current_round, leave_expiry_notices_send
from services.leave.models import LeaveExpiryNotice
from services.models import Notification
from tests.factories import DeliveredOutbox, OrgUnitFactory, UserFactory, grant_responsibility, make_holder
from tests.portal.test_security_log import security_log  # noqa: F401  (the fixture)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

@pytest.fixture
def mailoutbox(mailoutbox):
    """What was delivered, with the outbox sent first (tests.factories.DeliveredOutbox)."""
    return DeliveredOutbox(mailoutbox)



def on(month: int, day: int):
    """07:00 on that day of the year after the pinned one (the pinned year's leave is then carried over)."""
    year = timezone.localdate().year + 1
    return time_machine.travel(datetime.datetime(year, month, day, 7, tzinfo=BERLIN), tick=False)


@pytest.fixture
def staff(unit):
    """Anna alone: the fixture's other people would get notices too."""
    return UserFactory(unit=unit, email="anna.schmidt@musterstadt.example", first_name="Anna", last_name="Schmidt")


def test_the_rounds_start_on_the_configured_days_and_end_with_the_carry_over():
    assert current_round(datetime.date(2028, 1, 1)) is None
    assert current_round(datetime.date(2028, 1, 2)) == "01-02"
    assert current_round(datetime.date(2028, 2, 28)) == "01-02"
    assert current_round(datetime.date(2028, 3, 1)) == "03-01"
    assert current_round(datetime.date(2028, 3, 31)) == "03-01"
    assert current_round(datetime.date(2028, 4, 1)) is None


def test_january_and_march_each_send_the_notice_once(staff, mailoutbox):
    with on(1, 4):
        first, second = leave_expiry_notices_send(), leave_expiry_notices_send()
    assert (first, second) == (1, 0)
    notice = LeaveExpiryNotice.objects.get(employee=staff)
    year = timezone.localdate().year + 1
    assert notice.year == year and notice.round == "01-02"
    assert notice.carried_over_days == 30 and notice.current_year_days == 30
    assert notice.carry_over_deadline == datetime.date(year, 3, 31)
    assert notice.emailed_at is not None and notice.read_at is None
    assert notice.notification.recipient == staff and notice.notification.url == f"/leave/notices/{notice.pk}/"
    [mail] = mailoutbox
    assert mail.to == [staff.email] and "31.03." in mail.body and "30" in mail.body

    with on(3, 2):
        assert (leave_expiry_notices_send(), leave_expiry_notices_send()) == (1, 0)
    with on(4, 2):
        assert leave_expiry_notices_send() == 0
    assert LeaveExpiryNotice.objects.filter(employee=staff).count() == 2 and len(mailoutbox) == 2


def test_nobody_without_leave_left_or_no_longer_employed_is_told(unit, mailoutbox):
    with on(1, 4):
        UserFactory(unit=unit, employment_end=timezone.localdate() - datetime.timedelta(days=3))
        UserFactory(unit=unit, personnel_number=None)  # an account outside the HR import (an administrator)
        assert leave_expiry_notices_send() == 0
    assert mailoutbox == []


def test_the_command_runs_the_round(staff, capsys):
    with on(1, 4):
        call_command("send_leave_expiry_notices")
        call_command("send_leave_expiry_notices")
    out = capsys.readouterr().out
    assert "leave_expiry_notices: 1" in out and "leave_expiry_notices: 0" in out


def test_opening_the_notice_records_that_it_was_read(staff, client_for, colleague):
    with on(1, 4):
        leave_expiry_notices_send()
        notice = LeaveExpiryNotice.objects.get(employee=staff)
        assert client_for(colleague, mfa=False).get(f"/leave/notices/{notice.pk}/").status_code == 404
        response = client_for(staff, mfa=False).get(f"/leave/notices/{notice.pk}/")
    assert response.status_code == 200 and "31.03." in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert Notification.objects.get(pk=notice.notification_id).read_at is not None
    first_read = notice.read_at
    with on(1, 9):
        client_for(staff, mfa=False).get(f"/leave/notices/{notice.pk}/")
    notice.refresh_from_db()
    assert notice.read_at == first_read, "the first opening is the proof"


def test_hr_exports_the_proof_of_their_units_as_csv(unit, staff, client_for, colleague, security_log):  # noqa: F811
    hr = grant_responsibility(UserFactory(unit=OrgUnitFactory(code="10", name="Personalamt", parent=unit.get_parent())),
                              unit.get_parent(), "review_personnel")
    elsewhere = make_holder(OrgUnitFactory(code="20", name="Kämmerei", parent=unit.get_parent()), "review_personnel")
    with on(1, 4):
        leave_expiry_notices_send()
        year = timezone.localdate().year
        response = client_for(hr).get(f"/leave/notices/export/?year={year}")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        one = b"".join(client_for(hr).get(f"/leave/notices/export/?year={year}&person={staff.personnel_number}")
                       .streaming_content).decode("utf-8-sig")
        theirs = b"".join(client_for(elsewhere).get(f"/leave/notices/export/?year={year}").streaming_content).decode("utf-8-sig")
        assert client_for(colleague).get(f"/leave/notices/export/?year={year}").status_code == 404
        refused = client_for(hr).get("/en/leave/notices/export/?year=99999")
        page = client_for(hr).get("/en/leave/notices/proof/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert staff.personnel_number in body and "Anna Schmidt" in body and "01-02" in body
    assert len(one.strip().splitlines()) == 2 and staff.personnel_number in one
    assert staff.personnel_number not in theirs
    assert len(lines) == 1 + LeaveExpiryNotice.objects.count(), "HR reviews the whole city: one line per notice"
    assert refused.status_code == 400 and refused["Content-Type"].startswith("text/html")
    assert 'aria-invalid="true"' in refused.content.decode() and 'href="#id_year"' in refused.content.decode()
    assert page.status_code == 200 and f'value="{year}"' in page.content.decode()
    assert 'action="/en/leave/notices/export/"' in page.content.decode()
    exported = security_log.of("leave_notice_proof_exported")
    assert exported[0]["user"] == hr.email and exported[0]["year"] == year
    assert exported[0]["notices"] == LeaveExpiryNotice.objects.count() and exported[1]["notices"] == 1
