"""Personas and shared fixtures (see CONVENTIONS.md: an applicant, a colleague without rights, an editor, …)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client

from tests.factories import OrgUnitFactory, UserFactory, build_site, logged_in_client, make_holder


def quiet_day(today: datetime.date) -> datetime.datetime:
    """9 o'clock on the first Wednesday of July of the year after `today`, in the city's time zone.

    No federal state has a public holiday, and the city no day off, from July to mid-August, so periods
    counted from "today" (a leave "in two weeks", the demo's stories up to eleven weeks ahead) never
    touch Christmas, Easter or Rosenmontag. The year after `today` keeps the date ahead of the real
    clock, so that cookies a real browser receives in the end-to-end test have not already expired.
    """
    first = datetime.date(today.year + 1, 7, 1)
    wednesday = first + datetime.timedelta(days=(2 - first.weekday()) % 7)
    return datetime.datetime.combine(wednesday, datetime.time(9), tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))


_pinned_clock = time_machine.travel(quiet_day(datetime.date.today()), tick=True)


def pytest_configure(config) -> None:
    """The whole run happens on the same kind of day, whatever the real date: tests that count days from today
    (module constants such as "the Monday in three weeks" included, hence before collection) give the same
    answer on 24 December as on 1 March. Tests about particular dates travel there themselves (time-machine
    nests); the clock keeps ticking from the pinned moment."""
    _pinned_clock.start()


def pytest_unconfigure(config) -> None:
    _pinned_clock.stop()


@pytest.fixture(autouse=True, scope="session")
def mail_through_the_outbox(django_test_environment):
    """Mail goes through the outbox as in production: Django's test set-up points EMAIL_BACKEND at its in-memory
    backend directly; here the outbox queues every mail and hands it to that backend only when it is sent
    (EMAIL_DELIVERY_BACKEND of the test settings), so `mailoutbox` holds what was delivered."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "post_office.EmailBackend"


@pytest.fixture
def unit(db):
    city = OrgUnitFactory(code="STADT", name="Stadtverwaltung Musterstadt", level="dezernat")
    return OrgUnitFactory(parent=city, code="32", name="Ordnungsamt")


@pytest.fixture
def approver(unit):
    """Bernd Keller, head of the unit: holds every responsibility for it, so requests there are routed to him."""
    return make_holder(unit, email="bernd.keller@musterstadt.example", first_name="Bernd", last_name="Keller")


@pytest.fixture
def applicant(unit, approver):
    return UserFactory(email="anna.schmidt@musterstadt.example", first_name="Anna", last_name="Schmidt", unit=unit)


@pytest.fixture
def colleague(unit):
    """A colleague in the same unit with no rights over the applicant's requests."""
    return UserFactory(email="clara.wolf@musterstadt.example", first_name="Clara", last_name="Wolf", unit=unit)


@pytest.fixture
def editor(db):
    return UserFactory(email="eva.berg@musterstadt.example", first_name="Eva", last_name="Berg", is_staff=True)


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def site(db):
    return build_site()


@pytest.fixture
def client_for():
    def make(user, *, mfa: bool = True, reauthenticated: bool = True) -> Client:
        return logged_in_client(user, mfa=mfa, reauthenticated=reauthenticated)

    return make


@pytest.fixture
def applicant_client(applicant, client_for):
    """A staff member who files requests: no responsibility, so no two-factor authentication set up."""
    return client_for(applicant, mfa=False)
