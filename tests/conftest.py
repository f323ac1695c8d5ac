"""Personas and shared fixtures (see CONVENTIONS.md: an applicant, a colleague without rights, an editor, …)."""

import pytest
from django.test import Client

from tests.factories import OrgUnitFactory, UserFactory, build_site, make_holder


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
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def applicant_client(applicant, client_for):
    return client_for(applicant)
