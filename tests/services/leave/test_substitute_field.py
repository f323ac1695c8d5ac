"""The substitute named on a leave request is one of the people the form offers: an active colleague of the unit."""

import pytest
from django.utils import translation

from services.leave.forms import LeaveRequestForm, substitute_candidates
from tests.factories import OrgUnitFactory, UserFactory, leave_type_record, next_monday


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def leave_form(applicant, substitute: str) -> LeaveRequestForm:
    start = next_monday()
    return LeaveRequestForm({"leave_type": leave_type_record("annual").pk, "start_date": start.isoformat(),
                             "end_date": start.isoformat(), "substitute": substitute, "note": ""}, applicant=applicant)


def test_a_colleague_of_the_unit_may_be_named(applicant, colleague):
    form = leave_form(applicant, colleague.email)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["substitute"] == colleague
    assert colleague in substitute_candidates(applicant)


@pytest.mark.parametrize("who", ["administrator", "other unit", "no unit"])
def test_nobody_the_form_does_not_offer_may_be_named(applicant, who):
    elsewhere = OrgUnitFactory(code="37", name="Feuerwehr")
    person = {
        "administrator": lambda: UserFactory(is_superuser=True, is_staff=True, unit=None),
        "other unit": lambda: UserFactory(unit=elsewhere),
        "no unit": lambda: UserFactory(unit=None),
    }[who]()

    form = leave_form(applicant, person.email)

    assert not form.is_valid()
    assert form.errors["substitute"] == [f"{person} does not work in your unit; name a colleague of your unit as substitute."]
    assert person not in substitute_candidates(applicant)


def test_an_inactive_colleague_is_unknown(applicant, colleague):
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    form = leave_form(applicant, colleague.email)
    assert not form.is_valid()
    assert "works here" in form.errors["substitute"][0]
