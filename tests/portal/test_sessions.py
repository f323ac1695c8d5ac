"""How long a login lasts: 30 minutes without activity, 12 hours in all; logging out everywhere; new passwords."""

import datetime

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone, translation

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def logged_in(client: Client) -> bool:
    response = client.get("/en/requests/")
    return response.status_code == 200


def log_in(email: str) -> Client:
    client = Client()
    response = client.post("/en/accounts/login/", {"login": email, "password": "musterstadt"})
    assert response.status_code == 302
    return client


def test_a_login_ends_after_thirty_minutes_without_activity(applicant):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = log_in(applicant.email)
        assert logged_in(client)
    with time_machine.travel(start + 29 * MINUTE, tick=False):
        assert logged_in(client)  # activity: the idle time starts again
    with time_machine.travel(start + 58 * MINUTE, tick=False):
        assert logged_in(client)
    with time_machine.travel(start + 89 * MINUTE, tick=False):
        response = client.get("/en/requests/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not logged_in(client)


def test_a_login_ends_twelve_hours_after_it_began_however_busy(applicant):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = log_in(applicant.email)
    moment = start
    while moment < start + datetime.timedelta(hours=11, minutes=50):
        moment += 20 * MINUTE
        with time_machine.travel(moment, tick=False):
            assert logged_in(client), moment
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=1), tick=False):
        assert not logged_in(client)


@override_settings(SESSION_IDLE_SECONDS=120)
def test_the_idle_time_is_a_setting(applicant):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = log_in(applicant.email)
        assert logged_in(client)
    with time_machine.travel(start + 3 * MINUTE, tick=False):
        assert not logged_in(client)


def test_logging_out_everywhere_ends_the_other_sessions(applicant):
    laptop, phone = log_in(applicant.email), log_in(applicant.email)
    page = laptop.get("/en/accounts/sessions/")
    assert page.status_code == 200

    laptop.post("/en/accounts/sessions/", {})

    assert logged_in(laptop)
    assert not logged_in(phone)


def test_a_new_password_ends_every_other_session(applicant):
    laptop, phone = log_in(applicant.email), log_in(applicant.email)
    response = laptop.post("/en/accounts/password/change/", {
        "oldpassword": "musterstadt", "password1": "ein-neues-langes-Passwort-2027", "password2": "ein-neues-langes-Passwort-2027"})
    assert response.status_code == 302

    assert logged_in(laptop)
    assert not logged_in(phone)
