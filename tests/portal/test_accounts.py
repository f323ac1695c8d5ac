"""Accounts: login by email through allauth, no self-registration, password reset, MFA, rate limits, languages."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client

from portal.settings import base as base_settings

LOGIN_URL = "/accounts/login/"
PASSWORD = "musterstadt"


@pytest.fixture(autouse=True)
def empty_cache():
    """allauth counts rate-limited attempts in the cache; every test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


def log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def reauthenticate(client: Client, password: str = PASSWORD):
    """allauth asks for the password again before security settings change, even right after login."""
    return client.post("/accounts/reauthenticate/", {"password": password})


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def totp_code(secret: str) -> str:
    """The current six-digit code an authenticator app shows for the secret (RFC 6238, SHA-1, 30 s)."""
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_login_with_email_and_password_starts_a_session(client, applicant):
    response = log_in(client, applicant.email)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == str(applicant.pk)


def test_login_with_wrong_password_shows_error_summary_and_keeps_visitor_anonymous(client, applicant):
    response = log_in(client, applicant.email, "not-the-password")
    content = response.content.decode()
    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    assert 'id="error-summary"' in content
    assert "data-autofocus" in content


def test_login_page_does_not_invite_to_sign_up(client, db):
    content = client.get(LOGIN_URL).content.decode()
    assert 'name="login"' in content and 'name="password"' in content
    assert "/accounts/signup/" not in content


def test_signup_page_offers_no_form(client, db):
    response = client.get("/accounts/signup/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "account/signup_closed.html" in [template.name for template in response.templates]
    assert 'name="password1"' not in content and 'name="email"' not in content


def test_signup_post_creates_no_user(client, db):
    response = client.post("/accounts/signup/", {
        "email": "mallory@example.com", "password1": "Sonnenblume-2027!", "password2": "Sonnenblume-2027!",
    })
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="mallory@example.com").exists()
    assert logged_in_user_id(client) is None


def test_password_reset_mails_a_link_that_sets_a_new_password(client, applicant, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    assert client.get("/accounts/password/reset/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends once the request's writes commit
        response = client.post("/accounts/password/reset/", {"email": applicant.email})

    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [applicant.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # allauth moves the key into the session and out of the URL
    response = client.post(form_url, {"password1": "Sonnenblume-2027!", "password2": "Sonnenblume-2027!"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("Sonnenblume-2027!")


def test_two_factor_overview_requires_login(client, db):
    response = client.get("/accounts/2fa/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_two_factor_overview_offers_authenticator_app(applicant_client):
    response = applicant_client.get("/accounts/2fa/")
    assert response.status_code == 200
    assert "/accounts/2fa/totp/activate/" in response.content.decode()


def test_totp_activation_then_login_asks_for_the_code(client, applicant):
    log_in(client, applicant.email)
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client)
    response = client.get("/accounts/2fa/totp/activate/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in content  # the QR code
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', content).group(1)

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=applicant, type=Authenticator.Type.TOTP).exists()
    second_browser = Client()
    response = log_in(second_browser, applicant.email)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert logged_in_user_id(second_browser) is None


def test_wagtail_admin_login_form_is_replaced_by_allauth(client, editor):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/admin/pages/"

    client.post("/admin/login/", {"username": editor.email, "password": PASSWORD})
    assert logged_in_user_id(client) is None
    assert client.get("/admin/password_reset/").status_code == 404


def test_wagtail_admin_sends_anonymous_visitors_to_allauth_and_editors_to_their_second_factor(client, editor):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/admin/"

    editor.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    log_in(client, editor.email)
    # Editors need two-factor authentication first (tests/portal/test_mfa.py goes on from here).
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"


def test_repeated_failed_logins_for_one_address_are_refused(client, applicant, settings):
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    allowed_failures = int(base_settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1].split("/")[0])
    for _attempt in range(allowed_failures):
        response = log_in(client, applicant.email, "guessed-wrong")
        assert [error.code for error in response.context["form"].non_field_errors().as_data()] != ["too_many_login_attempts"]

    response = log_in(client, applicant.email)  # even the right password is refused now

    assert response.status_code in (200, 429)
    if response.status_code == 200:
        assert [error.code for error in response.context["form"].non_field_errors().as_data()] == ["too_many_login_attempts"]
    assert logged_in_user_id(client) is None


def test_german_is_the_default_language_and_english_lives_under_en(client, db):
    german = client.get(LOGIN_URL).content.decode()
    english = client.get(f"/en{LOGIN_URL}").content.decode()
    assert '<html lang="de"' in german
    assert '<html lang="en"' in english
    assert "Sign In" in english


@pytest.mark.parametrize(("language", "next_url", "expected"), [("en", "/", "/en/"), ("de", "/en/requests/", "/requests/")])
def test_language_switcher_redirects_to_the_same_page_in_the_other_language(client, db, language, next_url, expected):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_allauth_pages_for_visitors_use_the_portal_layout(client, db, url):
    assert_in_portal_layout(client.get(url))


@pytest.mark.parametrize("url", ["/accounts/2fa/", "/accounts/2fa/totp/activate/", "/accounts/logout/", "/accounts/password/change/"])
def test_allauth_pages_for_staff_use_the_portal_layout(client, applicant, url):
    log_in(client, applicant.email)
    reauthenticate(client)
    assert_in_portal_layout(client.get(url))


def assert_in_portal_layout(response) -> None:
    """Our header and KERN markup, every visible input labelled and styled, every button a KERN button."""
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="portal-header"' in content and 'class="kern-kopfzeile"' in content
    assert 'class="kern-heading-x-large"' in content
    assert re.search(r'<main id="main"[^>]*>', content)
    inputs = [tag for tag in re.findall(r"<input\b[^>]*>", content) if 'type="hidden"' not in tag]
    for tag in inputs:
        assert re.search(r'class="[^"]*kern-', tag), tag
        field_id = re.search(r'id="([^"]+)"', tag).group(1)
        assert f'for="{field_id}"' in content, f"no label for {field_id}"
    for tag in re.findall(r"<button\b[^>]*>", content):
        assert "kern-btn" in tag, tag
