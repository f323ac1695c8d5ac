"""The trust channels' handler verbs answer every way of holding their responsibility, and strangers get 404.

Kummerkasten handling (list, message, attachment, answer, close, FAQ publication), pulse-survey results and the
redaction of free texts, and the triage of phishing reports (cases, a case, its warning): each is held through the
responsibility on a unit — personally, through a group, a delegation, a delegation passed on further, or as the
out-of-office substitute of a holder on approved leave today — exactly as deciding a request is
(services.permissions.effective_grants, the one rule). None of the channels forwards a single case to a named
colleague: there is no such verb, so "forward" has nothing to grant here.

The world and the expected answers are those of the access matrix: the other unit's holder holds every
responsibility on the Kämmerei, where the channels' test data lives; each way below holds it from him.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.responsibilities import RESPONSIBILITY_CODENAMES
from services.delegation.services import delegation_create, substitute_set
from services.models import RequestStatus
from tests.factories import UserFactory, grant_responsibility, leave_request
from tests.test_access_matrix import MATRIX, client_as, world  # noqa: F401 (the fixture)

CHANNEL_URLS = sorted(name for name in MATRIX
                      if name.split(":")[0] in {"kummerkasten", "phishing", "surveys"} or name in {
                          "kummerkasten_faq_publish", "phishing_warning"}
                      if MATRIX[name][2]["other_holder"] != MATRIX[name][2]["colleague"])
CHANNEL_CODENAMES = ["handle_kummerkasten", "view_survey_results", "redact_survey_free_text", "review_it_security"]
WAYS = ("own", "group", "delegation", "delegation chain", "substitute", "stranger")


def _holding(way: str, people: dict):
    """A person holding the channels' responsibilities on the Kämmerei in the given way (or not at all)."""
    holder = people["other_holder"]
    unit = holder.unit
    now = timezone.now()
    window = {"unit": unit, "codenames": CHANNEL_CODENAMES, "starts_at": now - datetime.timedelta(minutes=1),
              "ends_at": now + datetime.timedelta(days=5), "reason": "Vertretung"}
    if way == "own":
        return holder
    person = UserFactory(unit=unit)
    if way == "group":
        team = Group.objects.create(name="Team Kämmerei")
        grant_responsibility(team, unit, *CHANNEL_CODENAMES)
        person.groups.add(team)
    elif way == "delegation":
        delegation_create(delegator=holder, delegate=person, **window)
    elif way == "delegation chain":
        middle = UserFactory(unit=unit)
        delegation_create(delegator=holder, delegate=middle, allow_redelegation=True, **window)
        delegation_create(delegator=middle, delegate=person, **window)
    elif way == "substitute":
        substitute_set(holder=holder, substitute=person)
        leave_request(applicant=holder, status=RequestStatus.APPROVED, start=timezone.localdate(), days=1)
    return person


def test_the_channels_responsibilities_are_ones_the_portal_grants():
    assert set(CHANNEL_CODENAMES) <= set(RESPONSIBILITY_CODENAMES)
    assert len(CHANNEL_URLS) >= 10, CHANNEL_URLS


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", CHANNEL_URLS)
def test_each_channel_verb_answers_each_way_of_holding_its_responsibility(name, way, world):  # noqa: F811
    people, values = world
    people = {**people, "acting": _holding(way, people)}
    method, template, expected = MATRIX[name]

    response = getattr(client_as("acting", people), method)(template.format(**values))

    wanted = 404 if way == "stranger" else expected["other_holder"]
    assert response.status_code == wanted, f"{way} {method.upper()} {template}"
