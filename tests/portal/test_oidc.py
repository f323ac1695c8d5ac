"""Single sign-on with the city's OpenID Connect provider (portal.sso).

The journeys run against a real provider: allauth's own identity provider (allauth.idp.oidc, settings in
tests/oidc_provider/) in a second process on a free port with its own SQLite file, its own people and
the portal registered as a confidential client. The test logs in there with an HTTP client that keeps
cookies, grants consent and carries the redirect (code and state) back to the portal's callback; the
portal fetches the discovery document, exchanges the code (with the PKCE verifier) and reads userinfo
over real HTTP. Those journeys need PostgreSQL (CI runs them once); the checks of single functions and of
the login page run on both databases.

The provider runs on the real clock, the test process on the pinned one (tests/conftest.py): every
journey travels back to the real time first, so that the ID token is not already expired.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import jwt
import pytest
import requests
import time_machine
from allauth.account.models import EmailAddress
from allauth.core.internal import jwkkit
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client, RequestFactory

from portal import sso
from portal.models import User
from portal.settings.base import oidc_app

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "kurzer-dienstweg"
CLIENT_SECRET = "client-secret-for-tests"
PASSWORD = "provider-password"
LOGIN_PATH = "/accounts/oidc/stadt/login/"
CALLBACK = "http://testserver/accounts/oidc/stadt/login/callback/"
ANNA = "anna.schmidt@musterstadt.example"
BERND = "bernd.keller@musterstadt.example"
CLARA = "clara.wolf@musterstadt.example"
STRANGER = "max.fremd@musterstadt.example"
CLARA_AT_PROVIDER = "c.wolf@stadt.example"
CLARA_PERSONNEL_NUMBER = "004711"

# The people the city's directory knows, and what it says about them beyond the standard claims.
PEOPLE = [
    {"email": ANNA, "password": PASSWORD},
    {"email": BERND, "password": PASSWORD},
    {"email": CLARA, "password": PASSWORD, "verified": False},
    {"email": STRANGER, "password": PASSWORD},
    {"email": CLARA_AT_PROVIDER, "password": PASSWORD},
]
EXTRA_CLAIMS = {
    BERND: {"amr": ["pwd", "otp"]},
    CLARA_AT_PROVIDER: {"employee_number": CLARA_PERSONNEL_NUMBER},
    # The directory's name for Anna differs from HR's: the portal must keep HR's.
    ANNA: {"given_name": "Annemarie", "family_name": "Schmidt-Provider"},
}


def on_postgresql() -> bool:
    return django_settings.DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The provider process --------------------------------------------------------------------------

@dataclass
class Provider:
    url: str
    private_key_pem: str


@pytest.fixture(scope="session")
def provider_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.fixture(scope="session")
def identity_provider(provider_key_pem, tmp_path_factory) -> Iterator[Provider]:
    """allauth's identity provider in its own process on a free local port, stopped after the session."""
    if not on_postgresql():
        pytest.skip("the journeys against a real provider process run on PostgreSQL only (CI runs them there once)")
    directory = tmp_path_factory.mktemp("identity-provider")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "KD_IDP_DIRECTORY": str(directory),
        "KD_IDP_PRIVATE_KEY": provider_key_pem,
        "KD_IDP_EXTRA_CLAIMS": json.dumps(EXTRA_CLAIMS),
        "KD_IDP_SEED": json.dumps({"people": PEOPLE, "client": {
            "id": CLIENT_ID, "secret": CLIENT_SECRET, "redirect_uris": [CALLBACK]}}),
        "PYTHONPATH": str(ROOT),
    })
    log = open(directory / "provider.log", "w+b")  # noqa: SIM115 - closed in the finaliser below
    process = subprocess.Popen([sys.executable, "-m", "tests.oidc_provider.serve"], cwd=ROOT, env=env,  # noqa: S603
                               stdout=subprocess.PIPE, stderr=log)
    try:
        port = _read_port(process, log)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the identity provider did not answer")
            time.sleep(0.1)
        yield Provider(url=url, private_key_pem=provider_key_pem)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        log.close()


def _read_port(process: subprocess.Popen, log) -> int:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            line = process.stdout.readline().decode().strip()
            if line.startswith("port="):
                return int(line.removeprefix("port="))
        if process.poll() is not None:
            break
    log.seek(0)
    raise RuntimeError(f"the identity provider did not start: {log.read().decode(errors='replace')[-2000:]}")


# --- The portal configured for it ------------------------------------------------------------------

def configure(settings, server_url: str, **environ: str) -> None:
    app = oidc_app({"OIDC_SERVER_URL": server_url, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                    "OIDC_PROVIDER_NAME": "Musterstadt-Konto", **environ})
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}


@pytest.fixture
def city_sso(settings, identity_provider) -> Provider:
    configure(settings, identity_provider.url)
    return identity_provider


@pytest.fixture
def real_clock() -> Iterator[time_machine.Traveller]:
    """The real time, as the provider process sees it (the run's pinned clock is a year ahead)."""
    with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def security_log(caplog) -> list[dict]:
    caplog.set_level(logging.INFO, logger="portal.security")
    events: list[dict] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            events.append(record.security)

    handler = Collector(level=logging.INFO)
    logging.getLogger("portal.security").addHandler(handler)
    yield events
    logging.getLogger("portal.security").removeHandler(handler)


def events_named(events: list[dict], name: str) -> list[dict]:
    return [event for event in events if event["event"] == name]


# --- Driving the flow ------------------------------------------------------------------------------

class FormParser(HTMLParser):
    """The forms of a page: action and every input (hidden, checked checkboxes, text) with its value."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "", "fields": []})
        elif tag == "input" and self.forms and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.forms[-1]["fields"].append((attributes["name"], attributes.get("value") or ""))


def form_on(page: str, action_contains: str) -> dict:
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if action_contains in form["action"]:
            return form
    raise AssertionError(f"no form posting to {action_contains!r} on the page")


def start_login(client: Client, next_url: str | None = None) -> str:
    """Press "Sign in with the city account": the portal answers with a redirect to the provider."""
    path = LOGIN_PATH + (f"?{urlencode({'next': next_url})}" if next_url else "")
    response = client.post(path)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def authorise_at_provider(browser: requests.Session, authorize_url: str, email: str) -> str:
    """Log in at the provider, grant consent; returns where the provider sends the browser back (code, state)."""
    response = browser.get(authorize_url, allow_redirects=False)
    if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
        login_url = urljoin(authorize_url, response.headers["Location"])
        page = browser.get(login_url)
        form = form_on(page.text, "/accounts/login/")
        data = dict(form["fields"]) | {"login": email, "password": PASSWORD}
        response = browser.post(urljoin(login_url, form["action"]), data=data, allow_redirects=False)
        assert response.status_code == 302, response.text[:1000]
        response = browser.get(urljoin(login_url, response.headers["Location"]), allow_redirects=False)
    assert response.status_code == 200, response.text[:1000]
    consent = form_on(response.text, "/identity/o/authorize")
    response = browser.post(urljoin(authorize_url, consent["action"]), data=[*consent["fields"], ("action", "grant")],
                            allow_redirects=False)
    assert response.status_code == 302, response.text[:1000]
    return response.headers["Location"]


def back_to_portal(client: Client, callback_url: str):
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(f"{parts.path}?{parts.query}")


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def log_in_through_provider(client: Client, email: str, next_url: str | None = None):
    callback = authorise_at_provider(requests.Session(), start_login(client, next_url), email)
    return back_to_portal(client, callback), callback


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# --- Journeys against the real provider (PostgreSQL) ---------------------------------------------------

def test_staff_member_logs_in_at_the_provider_and_lands_on_the_dashboard(client, applicant, site, city_sso, real_clock,
                                                                          security_log):
    users_before = User.objects.count()
    authorize_url = start_login(client)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(f"{city_sso.url}/identity/o/authorize")
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0]

    response = back_to_portal(client, authorise_at_provider(requests.Session(), authorize_url, ANNA))

    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user_id(client) == str(applicant.pk)
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Anna" in dashboard.content.decode()
    account = SocialAccount.objects.get(user=applicant)
    assert account.provider == "stadt"
    assert User.objects.count() == users_before
    applicant.refresh_from_db()
    assert (applicant.email, applicant.first_name, applicant.last_name) == (ANNA, "Anna", "Schmidt")
    assert not EmailAddress.objects.filter(user=applicant).exclude(email=ANNA).exists()
    assert [event["user"] for event in events_named(security_log, "sso_linked")] == [ANNA]
    [login] = events_named(security_log, "sso_login")
    assert login["user"] == ANNA and login["provider"] == "stadt" and login["mfa"] == "none"
    assert sso.session_mfa_satisfied(dashboard.wsgi_request) is False

    # The second login finds the link.
    client.post("/accounts/logout/")
    response, _ = log_in_through_provider(client, ANNA)
    assert response["Location"] == "/" and logged_in_user_id(client) == str(applicant.pk)
    assert SocialAccount.objects.filter(user=applicant).count() == 1


def test_stranger_is_refused_and_nothing_is_created(client, applicant, city_sso, real_clock, security_log):
    users_before = User.objects.count()
    response, _ = log_in_through_provider(client, STRANGER)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert logged_in_user_id(client) is None
    assert User.objects.count() == users_before and not User.objects.filter(email=STRANGER).exists()
    assert not SocialAccount.objects.exists()
    page = client.get(response["Location"])
    assert "is not known in the portal" in page.content.decode() or "nicht bekannt" in page.content.decode()
    assert 'name="password"' in page.content.decode()
    [refused] = events_named(security_log, "sso_refused")
    assert refused["reason"] == "no_match" and refused["account"] == STRANGER and refused["user"] is None


def test_address_the_provider_has_not_verified_is_refused(client, colleague, city_sso, real_clock, security_log):
    response, _ = log_in_through_provider(client, CLARA)
    assert response["Location"] == "/accounts/login/" and logged_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    assert events_named(security_log, "sso_refused")[0]["reason"] == "email_not_verified"


def test_personnel_number_claim_matches_staff_whatever_the_provider_address(client, settings, colleague, identity_provider,
                                                                            real_clock, security_log):
    configure(settings, identity_provider.url, OIDC_MATCH_CLAIM="employee_number")
    User.objects.filter(pk=colleague.pk).update(personnel_number=CLARA_PERSONNEL_NUMBER)
    response, _ = log_in_through_provider(client, CLARA_AT_PROVIDER)
    assert response["Location"] == "/" and logged_in_user_id(client) == str(colleague.pk)
    colleague.refresh_from_db()
    assert colleague.email == CLARA  # the HR address stays, the provider's is not taken over


def test_personnel_number_claim_missing_is_refused(client, settings, applicant, identity_provider, real_clock, security_log):
    configure(settings, identity_provider.url, OIDC_MATCH_CLAIM="employee_number")
    response, _ = log_in_through_provider(client, ANNA)
    assert response["Location"] == "/accounts/login/" and logged_in_user_id(client) is None
    refused = events_named(security_log, "sso_refused")[0]
    assert refused["reason"] == "claim_missing" and refused["claim"] == "employee_number"


def test_replayed_callback_is_refused(client, applicant, city_sso, real_clock, security_log):
    response, callback = log_in_through_provider(client, ANNA)
    assert response["Location"] == "/"
    client.post("/accounts/logout/")

    replay = back_to_portal(client, callback)
    assert replay.status_code == 302 and replay["Location"] == "/accounts/login/"
    assert logged_in_user_id(client) is None
    assert events_named(security_log, "sso_refused")[-1]["reason"] == "state_invalid"

    # The old code with the state of a new attempt: the provider refuses to exchange a code twice.
    fresh_state = parse_qs(urlsplit(start_login(client)).query)["state"][0]
    replay = back_to_portal(client, with_query(callback, state=fresh_state))
    assert replay["Location"] == "/accounts/login/" and logged_in_user_id(client) is None
    assert events_named(security_log, "sso_refused")[-1]["reason"] == "code_refused"


def test_wrong_state_is_refused(client, applicant, city_sso, real_clock, security_log):
    callback = authorise_at_provider(requests.Session(), start_login(client), ANNA)
    response = back_to_portal(client, with_query(callback, state="forged-state-value"))
    assert response["Location"] == "/accounts/login/" and logged_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    assert events_named(security_log, "sso_refused")[0]["reason"] == "state_invalid"
    content = client.get("/en/accounts/login/").content.decode()
    # The message was queued on the German callback, so it is in German (English where the catalogue lacks it).
    assert "could not be completed" in content or "konnte nicht abgeschlossen werden" in content


def test_wrong_nonce_is_refused(client, applicant, city_sso, real_clock, security_log):
    authorize_url = with_query(start_login(client), nonce="a-nonce-the-portal-never-sent")
    response = back_to_portal(client, authorise_at_provider(requests.Session(), authorize_url, ANNA))
    assert response["Location"] == "/accounts/login/" and logged_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    assert events_named(security_log, "sso_refused")[0]["reason"] == "nonce_mismatch"


def test_connecting_another_account_from_the_connections_page_is_refused(client, applicant, colleague, city_sso,
                                                                         real_clock, security_log):
    client.force_login(colleague)
    response = client.post(f"{LOGIN_PATH}?process=connect")
    response = back_to_portal(client, authorise_at_provider(requests.Session(), response["Location"], ANNA))
    assert response["Location"] == "/accounts/login/"
    assert not SocialAccount.objects.exists()
    assert events_named(security_log, "sso_refused")[0]["reason"] == "process_not_allowed"


def test_forged_next_is_not_followed(client, applicant, city_sso, real_clock):
    response, _ = log_in_through_provider(client, ANNA, next_url="https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user_id(client) == str(applicant.pk)


def test_next_within_the_portal_is_followed(client, applicant, city_sso, real_clock):
    response, _ = log_in_through_provider(client, ANNA, next_url="/requests/")
    assert response["Location"] == "/requests/"


def test_expired_id_token_is_refused(client, applicant, city_sso, real_clock, security_log):
    callback = authorise_at_provider(requests.Session(), start_login(client), ANNA)
    # Seven minutes later (the provider's ID tokens live five, the portal's state ten): the token has expired.
    real_clock.shift(7 * 60)
    response = back_to_portal(client, callback)
    assert response["Location"] == "/accounts/login/" and logged_in_user_id(client) is None
    refused = events_named(security_log, "sso_refused")[0]
    assert refused["reason"] == "id_token_invalid" and refused["detail"] == "ExpiredSignatureError"


def test_mfa_asserted_by_the_provider_is_honoured(client, approver, city_sso, real_clock, security_log):
    TOTP.activate(approver, generate_totp_secret())
    response, _ = log_in_through_provider(client, BERND)
    assert response["Location"] == "/" and logged_in_user_id(client) == str(approver.pk)
    dashboard = client.get("/")
    assert client.session[sso.MFA_FROM_PROVIDER] is True
    assert sso.session_mfa_satisfied(dashboard.wsgi_request) is True
    assert events_named(security_log, "sso_login")[0]["mfa"] == "provider"


def test_without_mfa_from_the_provider_the_portal_asks_for_its_own(client, applicant, city_sso, real_clock):
    TOTP.activate(applicant, generate_totp_secret())
    response, _ = log_in_through_provider(client, ANNA)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert logged_in_user_id(client) is None
    assert sso.MFA_FROM_PROVIDER not in client.session


# --- The ID token checks, with tokens signed by the provider's own key (PostgreSQL: its JWKS is read) -----

def crafted_token(provider: Provider, *, private_key_pem: str | None = None, **changes) -> str:
    jwk, key = jwkkit.load_jwk_from_pem(private_key_pem or provider.private_key_pem)
    now = int(time.time())
    claims = {"iss": provider.url, "aud": CLIENT_ID, "sub": "1", "iat": now, "exp": now + 300,
              "email": ANNA, "email_verified": True} | changes
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": jwk["kid"]})


def verify(provider_token: str):
    request = RequestFactory().get("/")
    provider = sso.SocialAccountAdapter(request).get_provider(request, "stadt")
    return provider.verify_token(request, {"id_token": provider_token})


def test_id_token_signed_by_the_provider_is_accepted(db, city_sso):
    login = verify(crafted_token(city_sso))
    assert login.account.uid == "1"


@pytest.mark.parametrize("changes", [
    {"iss": "https://login.other-city.example"},
    {"aud": "another-client"},
    {"exp": int(time.time()) - 60, "iat": int(time.time()) - 400},
], ids=["other issuer", "other audience", "expired"])
def test_id_token_from_elsewhere_or_expired_is_refused(db, city_sso, changes):
    with pytest.raises(ValidationError):
        verify(crafted_token(city_sso, **changes))


def test_id_token_signed_with_another_key_is_refused(db, city_sso):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    jwk, _ = jwkkit.load_jwk_from_pem(city_sso.private_key_pem)
    _, other_key = jwkkit.load_jwk_from_pem(other)
    now = int(time.time())
    forged = jwt.encode({"iss": city_sso.url, "aud": CLIENT_ID, "sub": "1", "iat": now, "exp": now + 300}, other_key,
                        algorithm="RS256", headers={"kid": jwk["kid"]})
    with pytest.raises(ValidationError):
        verify(forged)


# --- Without the provider process (both databases) --------------------------------------------------

def test_provider_down_shows_a_clear_message_and_keeps_the_password_form(client, settings, db, security_log):
    configure(settings, f"http://127.0.0.1:{free_port()}")
    response = client.post(LOGIN_PATH)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get(response["Location"])
    content = page.content.decode()
    assert "cannot be reached" in content or "nicht erreichbar" in content
    assert 'name="password"' in content and 'name="login"' in content
    [event] = events_named(security_log, "sso_unavailable")
    assert event["stage"] == "discovery" and event["detail"] == "ConnectionError" and event["user"] is None


def test_login_page_offers_the_city_account_when_configured(client, settings, db):
    assert LOGIN_PATH not in client.get("/en/accounts/login/").content.decode()
    configure(settings, "https://login.musterstadt.example/realms/stadt")
    content = client.get("/en/accounts/login/").content.decode()
    assert "Sign in with the city account" in content
    assert f'action="/en{LOGIN_PATH}"' in content and 'method="post"' in content
    assert 'name="password"' in content


def test_without_local_login_only_the_city_account_is_offered(client, settings, applicant):
    configure(settings, "https://login.musterstadt.example/realms/stadt")
    settings.OIDC_LOCAL_LOGIN = False
    content = client.get("/en/accounts/login/").content.decode()
    assert "Sign in with the city account" in content and 'name="password"' not in content
    response = client.post("/en/accounts/login/", {"login": applicant.email, "password": "musterstadt"})
    assert response.status_code == 200 and logged_in_user_id(client) is None
    assert "Please log in with your city account." in response.content.decode()


def test_local_login_setting_matters_only_with_a_provider(client, settings, applicant):
    settings.OIDC_LOCAL_LOGIN = False
    response = client.post("/accounts/login/", {"login": applicant.email, "password": "musterstadt"})
    assert response.status_code == 302 and logged_in_user_id(client) == str(applicant.pk)


def test_password_login_clears_a_flag_from_the_provider(client, applicant):
    session = client.session
    session[sso.MFA_FROM_PROVIDER] = True
    session.save()
    client.post("/accounts/login/", {"login": applicant.email, "password": "musterstadt"})
    assert logged_in_user_id(client) == str(applicant.pk)
    assert sso.MFA_FROM_PROVIDER not in client.session


# ID token claims as Keycloak and Entra ID send them.
KEYCLOAK_OTP = {"iss": "https://login.musterstadt.example/realms/stadt", "sub": "f3a1", "aud": "portal", "exp": 1, "iat": 0,
                "acr": "1", "amr": ["pwd", "otp"], "email": ANNA, "email_verified": True}
KEYCLOAK_PASSWORD_ONLY = KEYCLOAK_OTP | {"amr": ["pwd"]}
ENTRA_MFA = {"iss": "https://login.microsoftonline.com/tenant/v2.0", "sub": "AAAb", "aud": "portal", "amr": ["pwd", "mfa"]}
ACR_LEVEL = {"sub": "x", "acr": "urn:musterstadt:loa:substantial"}


@pytest.mark.parametrize(("claims", "acr_values", "expected"), [
    (KEYCLOAK_OTP, [], True),
    (ENTRA_MFA, [], True),
    (KEYCLOAK_PASSWORD_ONLY, [], False),
    (ACR_LEVEL, ["urn:musterstadt:loa:substantial"], True),
    (ACR_LEVEL, [], False),
    ({"sub": "x", "amr": "otp"}, [], True),
    ({"sub": "x", "amr": [{"otp": True}]}, [], False),
    ({"sub": "x"}, ["1"], False),
], ids=["keycloak otp", "entra mfa", "password only", "acr listed", "acr not listed", "amr as string", "amr malformed",
        "no claims"])
def test_provider_mfa_is_read_from_amr_and_acr(claims, acr_values, expected):
    assert sso.provider_asserted_mfa(claims, amr_values=django_settings.OIDC_DEFAULT_MFA_AMR, acr_values=acr_values) is expected


def test_session_mfa_satisfied_needs_a_login_and_the_flag(rf, applicant):
    request = rf.get("/")
    request.session = {sso.MFA_FROM_PROVIDER: True}
    request.user = applicant
    assert sso.session_mfa_satisfied(request) is True
    request.session = {}
    assert sso.session_mfa_satisfied(request) is False


@pytest.mark.parametrize(("environ", "variable"), [
    ({"OIDC_SERVER_URL": "http://login.musterstadt.example", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b"}, "OIDC_SERVER_URL"),
    ({"OIDC_SERVER_URL": "login.musterstadt.example", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b"}, "OIDC_SERVER_URL"),
    ({"OIDC_SERVER_URL": "https://login.musterstadt.example", "OIDC_CLIENT_SECRET": "b"}, "OIDC_CLIENT_ID"),
    ({"OIDC_SERVER_URL": "https://login.musterstadt.example", "OIDC_CLIENT_ID": "a"}, "OIDC_CLIENT_SECRET"),
    ({"OIDC_CLIENT_ID": "a"}, "OIDC_CLIENT_ID"),
    ({"OIDC_SERVER_URL": "https://login.musterstadt.example", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b",
      "OIDC_MATCH_CLAIM": "a claim"}, "OIDC_MATCH_CLAIM"),
])
def test_bad_single_sign_on_settings_name_the_variable(environ, variable):
    with pytest.raises(ImproperlyConfigured, match=variable):
        oidc_app(environ)


def test_single_sign_on_is_off_without_a_server_url():
    assert oidc_app({}) is None


def test_single_sign_on_settings_turn_pkce_on():
    app = oidc_app({"OIDC_SERVER_URL": "https://login.musterstadt.example/realms/stadt/", "OIDC_CLIENT_ID": "portal",
                    "OIDC_CLIENT_SECRET": "s", "OIDC_MATCH_CLAIM": "employee_number", "OIDC_MFA_ACR": "2, 3"})
    assert app["settings"]["server_url"] == "https://login.musterstadt.example/realms/stadt"
    assert app["settings"]["oauth_pkce_enabled"] is True
    assert app["settings"]["match_claim"] == "employee_number" and app["settings"]["mfa_acr"] == ["2", "3"]
