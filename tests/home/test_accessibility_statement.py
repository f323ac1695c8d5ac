"""The accessibility statement BITV 2.0 asks for: one per language below the home page, linked in the footer."""

import datetime

import pytest
from wagtail.models import Locale

from home.models import AccessibilityStatementPage, ComplianceStatus, GuidanceIndexPage, HomePage


@pytest.fixture
def statement(site):
    page = AccessibilityStatementPage(
        title="Erklärung zur Barrierefreiheit", slug="barrierefreiheit", compliance_status=ComplianceStatus.PARTIAL,
        compliance_text="<p>Teilweise vereinbar.</p>", non_accessible_content="<p>Ältere PDF-Dokumente.</p>",
        statement_date=datetime.date(2026, 3, 1), feedback_contact_name="<b>Amt für IT</b>",
        feedback_email="barrierefreiheit@musterstadt.example", feedback_page=site["services"]["leave"],
    )
    site["home"].add_child(instance=page)
    return page


def test_statement_shows_what_bitv_requires(client, statement):
    html = client.get(statement.url).content.decode()

    assert "Teilweise vereinbar." in html
    assert "Ältere PDF-Dokumente." in html
    assert "2026" in html  # the date of the statement
    assert 'href="mailto:barrierefreiheit@musterstadt.example"' in html
    assert f'href="{statement.feedback_page.url}"' in html  # the feedback form
    assert 'href="https://www.schlichtungsstelle-bgg.de/"' in html  # the enforcement procedure
    assert "&lt;b&gt;Amt für IT&lt;/b&gt;" in html  # plain text stays text


def test_statement_without_feedback_page_has_no_form_link(client, statement):
    statement.feedback_page = None
    statement.save_revision().publish()

    response = client.get(statement.url)

    assert response.status_code == 200
    assert statement.live_feedback_page is None


def test_footer_links_the_statement_on_every_page(client, statement):
    html = client.get("/requests/", follow=True).content.decode()

    assert f'<a class="kern-link kern-link--small" href="{statement.url}">' in html


def test_footer_links_the_statement_in_the_readers_language(client, statement):
    english = Locale.objects.create(language_code="en")
    translation = statement.copy_for_translation(english, copy_parents=True)
    translation.title = "Accessibility statement"
    translation.slug = "accessibility"
    translation.save_revision().publish()
    translation.refresh_from_db()

    html = client.get("/en/search/").content.decode()

    assert f'href="{translation.url}"' in html


def test_only_one_statement_per_language_and_only_below_the_home_page(statement, site):
    assert not AccessibilityStatementPage.can_create_at(site["home"])
    assert not AccessibilityStatementPage.can_create_at(site["guidance"])
    assert AccessibilityStatementPage in HomePage.allowed_subpage_models()
    assert AccessibilityStatementPage not in GuidanceIndexPage.allowed_subpage_models()
    assert AccessibilityStatementPage.allowed_subpage_models() == []
