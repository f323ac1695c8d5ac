"""Guidance may be cached for anonymous readers; anything personal is never stored."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from wagtail.models import PageViewRestriction

from home.models import AccessibilityStatementPage


@pytest.fixture
def guidance_page(site):
    return site["guidance"].get_children().get(slug="phishing").specific


def test_guidance_is_public_for_five_minutes_for_anonymous_readers(client, guidance_page):
    for url in (guidance_page.url, guidance_page.get_parent().url):
        response = client.get(url)

        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert "max-age=300" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]  # a browser refetches once someone logs in


def test_guidance_for_logged_in_readers_is_private(applicant_client, guidance_page):
    response = applicant_client.get(guidance_page.url)

    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_restricted_guidance_is_never_public(client, guidance_page):
    restriction = PageViewRestriction.objects.create(page=guidance_page, restriction_type=PageViewRestriction.PASSWORD,
                                                     password="geheim")
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()

    response = client.get(guidance_page.url)

    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_page_with_a_waiting_message_is_not_cached(client, guidance_page, rf):
    """E.g. "You have signed out.": a browser must not show it again from its cache."""
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.INFO, "Abgemeldet.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value

    response = client.get(guidance_page.url)

    assert "Abgemeldet." in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")


def test_service_pages_and_the_dashboard_are_private(applicant_client, site):
    for url in (site["services"]["leave"].url, "/"):
        response = applicant_client.get(url)

        assert "no-store" in response["Cache-Control"], url


def test_accessibility_statement_is_cached_like_guidance(client, site):
    statement = site["home"].add_child(instance=AccessibilityStatementPage(title="Barrierefreiheit", slug="barrierefreiheit"))

    response = client.get(statement.url)

    assert "max-age=300" in response["Cache-Control"]
