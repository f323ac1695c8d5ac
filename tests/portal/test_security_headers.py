"""The headers a browser gets under the production settings: on a page, a form, a download and in the admin.

The transport settings are read from portal.settings.production in a fresh interpreter (with a production
environment) and put in force here, so that the test sees what production sends.
"""

import json

import pytest
from django.test import Client

from portal.security_headers import permissions_policy_header
from tests.factories import UserFactory
from tests.portal.test_configuration import PRODUCTION, load_settings

TRANSPORT_SETTINGS = ("SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                      "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_NAME", "CSRF_COOKIE_SECURE",
                      "CSRF_COOKIE_NAME", "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_NAME", "CONTENT_SECURITY_POLICY",
                      "CSP_ADMIN_POLICY", "PERMISSIONS_POLICY")
HTTPS = {"secure": True, "headers": {"host": "testserver"}}


@pytest.fixture(scope="module")
def production_values():
    result = load_settings({**PRODUCTION, "ALLOWED_HOSTS": "testserver"}, *TRANSPORT_SETTINGS, "SECURE_PROXY_SSL_HEADER")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production(settings, production_values):
    """The production transport settings in force; clients made afterwards build their middleware with them."""
    for name in TRANSPORT_SETTINGS:
        setattr(settings, name, production_values[name])
    settings.SECURE_PROXY_SSL_HEADER = tuple(production_values["SECURE_PROXY_SSL_HEADER"])
    return production_values


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_hardened(response, *, admin: bool = False) -> None:
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "camera=()" in response["Permissions-Policy"]
    assert "publickey-credentials-get=(self)" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    if admin:
        assert "'unsafe-inline'" in policy["script-src"]
        assert policy["frame-ancestors"] == ["'self'"]
    else:
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_a_page_has_every_header(production, site, db):
    client = Client()
    response = client.get("/", **HTTPS)
    assert response.status_code == 200
    assert_hardened(response)


def test_a_form_sets_host_only_cookies(production, site, applicant):
    client = Client()
    form = client.get("/accounts/login/", **HTTPS)
    assert form.status_code == 200
    assert_hardened(form)
    csrf = form.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    assert "csrftoken" not in form.cookies

    login = client.post("/accounts/login/", {"login": applicant.email, "password": "musterstadt"}, **HTTPS)
    assert login.status_code == 302
    assert_hardened(login)
    session = login.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/" and not session["domain"]

    leave_form = client.get(site["services"]["leave"].url, **HTTPS)
    assert leave_form.status_code == 200
    assert_hardened(leave_form)
    assert 'name="csrfmiddlewaretoken"' in leave_form.content.decode()


def test_a_download_has_every_header(production, applicant, client_for):
    client = client_for(applicant, mfa=False)
    response = client.get("/account/security/my-data.json", **HTTPS)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert_hardened(response)


def test_the_language_cookie_is_host_only(production, db):
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "/"}, **HTTPS)
    cookie = response.cookies["__Host-language"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]


def test_the_wagtail_admin_gets_its_relaxed_policy_only_there(production, client_for, db):
    administrator = UserFactory(email="admin@musterstadt.example", is_staff=True, is_superuser=True, unit=None)
    response = client_for(administrator).get("/admin/", **HTTPS)
    assert response.status_code == 200
    assert_hardened(response, admin=True)


def test_plain_http_is_redirected_except_the_health_check(production, db):
    client = Client()
    response = client.get("/requests/", headers={"host": "testserver"})
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/requests/"
    assert client.get("/healthz", headers={"host": "testserver"}).status_code == 200
    # Behind the load balancer, which ends TLS and says so.
    forwarded = client.get("/", headers={"host": "testserver", "x-forwarded-proto": "https"})
    assert forwarded.status_code != 301


def test_the_permissions_policy_header_lists_each_feature():
    assert permissions_policy_header({"camera": [], "fullscreen": ["self"]}) == "camera=(), fullscreen=(self)"


def test_an_inline_script_needs_the_requests_nonce(rf, settings):
    from django.http import HttpResponse
    from django.template import engines

    from portal.security_headers import PortalCSPMiddleware

    def view(request):
        template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">1</script>')
        return HttpResponse(template.render({"request": request}))

    request = rf.get("/")
    response = PortalCSPMiddleware(view)(request)
    nonce = str(request.csp_nonce)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]
