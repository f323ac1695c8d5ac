"""The language switcher leads to the translated page, even when its slug differs."""

import pytest
from wagtail.models import Locale


@pytest.fixture
def english_guidance(site):
    english = Locale.objects.create(language_code="en")
    german_page = site["guidance"].get_children().get(slug="phishing").specific
    translation = german_page.copy_for_translation(english, copy_parents=True)
    translation.title = "Recognising phishing"
    translation.slug = "recognising-phishing"
    translation.save_revision().publish()
    return german_page, type(translation).objects.get(pk=translation.pk)


def switch(client, next_url: str, language: str):
    return client.post("/i18n/setlang/", {"next": next_url, "language": language})


def test_german_page_switches_to_its_english_translation(client, english_guidance):
    german_page, translation = english_guidance

    response = switch(client, german_page.url, "en")

    assert response.status_code == 302
    assert response["Location"] == translation.url
    assert translation.url.startswith("/en/") and "recognising-phishing" in translation.url
    assert response.cookies["django_language"].value == "en"


def test_english_page_switches_back_to_the_german_page(client, english_guidance):
    german_page, translation = english_guidance

    response = switch(client, translation.url, "de")

    assert response["Location"] == german_page.url


def test_page_without_translation_falls_back_to_the_same_path_in_the_other_language(client, english_guidance, site):
    untranslated = site["services"]["leave"]

    response = switch(client, untranslated.url, "en")

    assert response["Location"] == f"/en{untranslated.url}"


def test_unpublished_translation_is_not_offered(client, english_guidance):
    german_page, translation = english_guidance
    translation.unpublish()

    response = switch(client, german_page.url, "en")

    assert response["Location"] == f"/en{german_page.url}"


def test_portal_views_keep_the_current_behaviour(client, site):
    response = switch(client, "/requests/", "en")

    assert response["Location"] == "/en/requests/"


def test_query_string_is_kept(client, english_guidance):
    german_page, translation = english_guidance

    response = switch(client, f"{german_page.url}?tab=2", "en")

    assert response["Location"] == f"{translation.url}?tab=2"
