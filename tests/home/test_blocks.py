"""Every block of the guidance body renders its own template with KERN markup, and plain text stays text."""

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from wagtail.documents import get_document_model

from home.blocks import GuidanceStreamBlock
from home.models import ServicePage


def render(*blocks: dict) -> str:
    stream = GuidanceStreamBlock()
    with translation.override("en"):
        return stream.render(stream.to_python(list(blocks)))


@pytest.fixture
def checklist(db):
    document = get_document_model()(title="Checkliste Homeoffice", file_size=2048)
    document.file.save("checkliste.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    document.save()
    return document


def test_heading_and_paragraph_render_kern_text():
    html = render({"type": "heading", "value": "Verbindung"}, {"type": "paragraph", "value": "<p>Nur über <b>VPN</b>.</p>"})

    assert '<h2 class="kern-heading-medium">Verbindung</h2>' in html
    assert '<div class="kern-body"><p>Nur über <b>VPN</b>.</p></div>' in html


@pytest.mark.parametrize(("tone", "icon"), [("info", "info"), ("warning", "warning"), ("danger", "danger")])
def test_callout_renders_a_kern_alert_of_its_tone(tone, icon):
    html = render({"type": "callout", "value": {"tone": tone, "title": "Achtung", "text": "<p>Text</p>"}})

    assert f'class="kern-alert kern-alert--{tone}"' in html
    assert f"kern-icon--{icon}" in html
    assert '<span class="kern-title">Achtung</span>' in html


def test_steps_render_a_numbered_list():
    html = render({"type": "steps", "value": {"title": "Schritt für Schritt", "steps": ["<p>Eins</p>", "<p>Zwei</p>"]}})

    assert '<ol class="kern-list kern-list--number">' in html
    assert html.count("<li") == 2
    assert html.index("Eins") < html.index("Zwei")
    assert "Schritt für Schritt</h2>" in html


def test_faq_renders_an_accordion_that_works_without_javascript():
    html = render({"type": "faq", "value": {"title": "Häufige Fragen", "questions": [
        {"question": "Darf ich drucken?", "answer": "<p>Nur wenn nötig.</p>"},
        {"question": "Und scannen?", "answer": "<p>Ja.</p>"},
    ]}})

    assert html.count('<details class="kern-accordion">') == 2
    assert '<summary class="kern-accordion__header"><span class="kern-title">Darf ich drucken?</span></summary>' in html
    assert '<div class="kern-accordion__body kern-body"><p>Nur wenn nötig.</p></div>' in html


def test_document_renders_a_download_link_with_type_and_size(checklist):
    html = render({"type": "document", "value": {"document": checklist.pk, "title": "", "description": "Eine Seite"}})

    assert f'href="{checklist.url}"' in html
    assert "download" in html
    assert "Checkliste Homeoffice" in html  # the document's title when no link text is given
    assert "(PDF, 2.0\xa0KB)" in html
    assert "Eine Seite" in html


def test_contact_card_links_phone_and_email():
    html = render({"type": "contact", "value": {"name": "IT-Service-Desk", "role": "Amt für Informationstechnik",
                                                "phone": "0123 456-4711", "email": "it-service@musterstadt.example"}})

    assert 'class="kern-card' in html
    assert '<p class="kern-title">IT-Service-Desk</p>' in html
    assert 'href="tel:01234564711"' in html
    assert 'href="mailto:it-service@musterstadt.example"' in html


def test_related_services_link_live_service_pages_only(site):
    leave_page = site["services"]["leave"]
    draft = site["services"]["vpn_access"]
    draft.unpublish()
    html = render({"type": "related_services", "value": {"title": "", "services": [leave_page.pk, draft.pk]}})

    assert f'href="{leave_page.url}"' in html
    assert str(draft.title) not in html
    assert '<nav class="portal-block portal-related-services" aria-label="Related services">' in html


def test_related_services_accept_only_service_pages():
    chooser = GuidanceStreamBlock().child_blocks["related_services"].child_blocks["services"].child_block

    assert chooser.target_model is ServicePage


@pytest.mark.parametrize("block", [
    {"type": "heading", "value": "<script>alert(1)</script>"},
    {"type": "callout", "value": {"tone": "info", "title": "<script>alert(1)</script>", "text": "<p>x</p>"}},
    {"type": "steps", "value": {"title": "<script>alert(1)</script>", "steps": ["<p>x</p>"]}},
    {"type": "faq", "value": {"title": "", "questions": [{"question": "<script>alert(1)</script>", "answer": "<p>x</p>"}]}},
    {"type": "contact", "value": {"name": "<script>alert(1)</script>", "role": "<b>boss</b>", "phone": "", "email": ""}},
    {"type": "related_services", "value": {"title": "<script>alert(1)</script>", "services": []}},
])
def test_plain_text_in_blocks_is_escaped(block, db):
    html = render(block)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>boss</b>" not in html
