"""Search over guidance and service pages: live, public, in the reader's language; private for logged-in readers."""

import re

import pytest
from django.db import connection
from wagtail.models import Locale, PageViewRestriction

from home.models import GuidancePage
from home.stemming import text_stems

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL's German text search")


def titles(response) -> list[str]:
    return [page.title for page in response.context["results"]]


def add_guidance(site, title: str, summary: str, *, live: bool = True, locale: Locale | None = None) -> GuidancePage:
    page = GuidancePage(title=title, slug=title.lower().replace(" ", "-"), summary=summary, live=live,
                        locale=locale or site["guidance"].locale)
    site["guidance"].add_child(instance=page)
    return page


def test_search_finds_guidance_and_service_pages_by_plain_words(client, site):
    add_guidance(site, "Urlaub planen", "Wie Sie Ihren Urlaub mit dem Team abstimmen.")

    response = client.get("/search/", {"query": "Urlaub"})

    assert response.status_code == 200
    assert "Urlaub planen" in titles(response)
    assert "Phishing erkennen" not in titles(response)
    assert "Phishing erkennen" in titles(client.get("/search/", {"query": "Phishing"}))


def test_search_without_query_shows_the_form_only(client, site):
    response = client.get("/search/")

    assert response.status_code == 200
    assert response.context["results"] == []
    assert 'role="search"' in response.content.decode()


def test_search_leaves_out_drafts_and_restricted_pages(client, site, applicant_client):
    add_guidance(site, "Urlaub Entwurf", "Urlaub im Entwurf.", live=False)
    secret = add_guidance(site, "Urlaub intern", "Urlaub nur für Angemeldete.")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)

    anonymous = titles(client.get("/search/", {"query": "Urlaub"}))
    logged_in = titles(applicant_client.get("/search/", {"query": "Urlaub"}))

    assert "Urlaub Entwurf" not in anonymous and "Urlaub Entwurf" not in logged_in
    assert "Urlaub intern" not in anonymous
    assert "Urlaub intern" in logged_in  # the restriction lets logged-in readers in


def test_search_stays_in_the_readers_language(client, site):
    english = Locale.objects.create(language_code="en")
    page = add_guidance(site, "Phishing Welle", "Aktuelle Phishing-Welle.")
    translation = page.copy_for_translation(english, copy_parents=True)
    translation.title = "Phishing wave"
    translation.save_revision().publish()

    german = titles(client.get("/search/", {"query": "Phishing"}))
    english_results = titles(client.get("/en/search/", {"query": "Phishing"}))

    assert "Phishing Welle" in german and "Phishing wave" not in german
    assert english_results == ["Phishing wave"]


def test_search_results_of_logged_in_readers_are_never_stored(applicant_client, client, site):
    private = applicant_client.get("/search/", {"query": "Phishing"})
    anonymous = client.get("/search/", {"query": "Phishing"})

    assert "private" in private["Cache-Control"] and "no-store" in private["Cache-Control"]
    assert "public" not in anonymous.get("Cache-Control", "")


def test_the_header_has_a_search_box(client, site):
    html = client.get("/").content.decode()

    assert re.search(r'<form class="portal-search" role="search" aria-label="[^"]+" method="get" action="/search/">', html)
    assert 'name="query"' in html


def test_query_markup_is_escaped(client, site):
    html = client.get("/search/", {"query": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in html


INFLECTED = [
    ("Anträge", "Wie Sie einen Antrag stellen."), ("Urlaubs", "Alles zum Urlaub."), ("Urlaub", "Während des Urlaubs."),
    ("Monitore", "Einen Monitor ausleihen."), ("Monitor", "Zwei Monitore für das Homeoffice."),
    ("Pedelec", "Pedelecs für Außentermine."), ("Pedelecs", "Ein Pedelec für Außentermine."),
]


@pytest.mark.parametrize(("query", "text"), INFLECTED)
def test_german_search_finds_inflected_forms_on_either_database(client, site, query, text):
    add_guidance(site, "Gestemmte Seite", text)

    assert "Gestemmte Seite" in titles(client.get("/search/", {"query": query}))


@postgresql_only
@pytest.mark.parametrize(("query", "text"), INFLECTED)
def test_postgresql_search_uses_the_german_configuration(client, site, query, text, settings):
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "german"
    add_guidance(site, "Gestemmte Seite", text)

    assert "Gestemmte Seite" in titles(client.get("/search/", {"query": query}))


def test_inflected_search_still_needs_every_word(client, site):
    add_guidance(site, "Gestemmte Seite", "Zwei Monitore für das Homeoffice.")

    assert "Gestemmte Seite" in titles(client.get("/search/", {"query": "Monitor Homeoffice"}))
    assert "Gestemmte Seite" not in titles(client.get("/search/", {"query": "Monitor Pedelec"}))


def test_stems_of_a_text():
    assert text_stems("Urlaubs Urlaub Monitore Pedelecs") == "urlaub monitor pedelecs pedelec"
