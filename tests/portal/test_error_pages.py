"""The 403, 404 and 500 pages speak the reader's language in the portal's layout; the 500 page needs no database."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation

from portal import views
from portal.urls import handler403, handler404, handler500
from tests.factories import build_site


def test_the_portal_names_its_own_error_handlers():
    assert (handler403, handler404, handler500) == (
        "portal.views.permission_denied", "portal.views.page_not_found", "portal.views.server_error")


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "lang"), [
    ("/requests/KD-0000-000000/", "de"), ("/en/requests/KD-0000-000000/", "en"),
    ("/gibt-es-nicht/", "de"), ("/en/does-not-exist/", "en"),
])
def test_not_found_is_the_portals_page_in_the_readers_language(path, lang, applicant, client_for):
    build_site()
    response = client_for(applicant).get(path)

    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{lang}"' in page
    assert 'class="portal-header"' in page and 'id="main"' in page
    with translation.override(lang):
        assert translation.gettext("Page not found") in page
    assert "<title>" in page and "Kurzer Dienstweg</title>" in page


@pytest.mark.django_db
def test_access_denied_is_the_portals_page(applicant):
    request = RequestFactory().get("/")
    request.user = applicant
    with translation.override("en"):
        response = views.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    page = response.content.decode()
    assert "Access denied" in page and 'class="portal-header"' in page and '<html lang="en"' in page


@pytest.mark.parametrize(("lang", "home"), [("de", 'href="/"'), ("en", 'href="/en/"')])
def test_server_error_renders_without_the_database(lang, home, django_db_blocker):
    request = RequestFactory().get("/")
    with django_db_blocker.block(), translation.override(lang):
        response = views.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{lang}"' in page and home in page
    assert "kern.min.css" in page and 'id="main"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_rate_limited_login_answers_with_the_portals_page(lang, rf):
    """allauth answers a rate limit through ROOT_URLCONF.handler429: the portal's page, not allauth's bare one."""
    from allauth.core.ratelimit import respond_429
    from django.contrib.auth.models import AnonymousUser

    build_site()
    request = rf.get("/accounts/login/")
    request.user = AnonymousUser()
    with translation.override(lang):
        response = respond_429(request)
        expected = translation.gettext("Too many attempts")
    assert response.status_code == 429
    page = response.content.decode()
    assert f'<html lang="{lang}"' in page and 'class="portal-header"' in page and 'id="main"' in page
    assert expected in page and "429 Too Many Requests" not in page
