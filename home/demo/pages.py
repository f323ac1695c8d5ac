"""Musterstadt's pages and site content: the German page tree, its English translations, documents and the site alert.

What the pages say is in `home.demo.content`; this module builds the page tree from it and puts the
ids of documents and service pages where the content names them.
"""

import datetime
from typing import Any

import weasyprint
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site

from home import editorial
from home.demo.content import (
    ACCESSIBILITY_FEEDBACK_SLUG,
    ACCESSIBILITY_STATEMENT,
    DEMO_DOCUMENTS,
    GUIDANCE_INDEX,
    GUIDANCE_PAGES,
    HOME,
    SERVICE_INDEX,
    SERVICE_PAGES,
    SITE_ALERT_TEXT,
    SITE_ALERT_TEXT_ENGLISH,
    DocumentRef,
    PageContent,
    ServiceRef,
)
from home.models import (
    AccessibilityStatementPage,
    AlertSeverity,
    GuidanceIndexPage,
    GuidancePage,
    HomePage,
    ServiceIndexPage,
    ServicePage,
    SiteAlert,
)

SITE_NAME = "Kurzer Dienstweg"


def seed_pages() -> tuple[dict[str, ServicePage], int]:
    """The German page tree as the default site, then an English translation of every page.

    Returns the German service pages by slug (several pages may share a kind, e.g. "generic"), and how
    many pages were created.
    """
    german, _ = Locale.objects.get_or_create(language_code="de")
    english, _ = Locale.objects.get_or_create(language_code="en")
    created = 0

    references: dict[type, dict[str, int]] = {DocumentRef: {}, ServiceRef: {}}

    def german_page(parent: Page, page_class: type[Page], content: PageContent, **extra: Any) -> Page:
        nonlocal created
        page = page_class.objects.child_of(parent).filter(slug=content.slug, locale=german).first()
        if page is None:
            fields = _with_ids(content.de.fields, references)
            page = page_class(slug=content.slug, locale=german, title=content.de.title,
                              search_description=content.de.search_description, **fields, **extra)
            parent.add_child(instance=page)
            page.save_revision().publish()
            created += 1
        return page

    home = german_page(Page.get_first_root_node(), HomePage, HOME)
    _make_default_site_root(home)
    _delete_wagtail_welcome_page()
    service_index = german_page(home, ServiceIndexPage, SERVICE_INDEX)
    service_pages = {
        content.slug: german_page(service_index, ServicePage, content, kind=content.kind) for content in SERVICE_PAGES
    }
    references[ServiceRef] = {slug: page.pk for slug, page in service_pages.items()}
    references[DocumentRef] = {key: document.pk for key, document in seed_documents().items()}
    guidance_index = german_page(home, GuidanceIndexPage, GUIDANCE_INDEX)
    guidance_pages = [german_page(guidance_index, GuidancePage, content) for content in GUIDANCE_PAGES]
    statement = german_page(home, AccessibilityStatementPage, ACCESSIBILITY_STATEMENT,
                            statement_date=timezone.localdate().replace(day=1))

    # Parents before children: each translation is created below its parent's translation.
    pages_and_content = [
        (home, HOME), (service_index, SERVICE_INDEX),
        *((service_pages[content.slug], content) for content in SERVICE_PAGES),
        (guidance_index, GUIDANCE_INDEX), *zip(guidance_pages, GUIDANCE_PAGES, strict=True),
        (statement, ACCESSIBILITY_STATEMENT),
    ]
    for page, content in pages_and_content:
        if page.get_translation_or_none(english) is None:
            _publish_translation(page, content, english, references)
            created += 1
    _link_feedback_form(statement, service_pages[ACCESSIBILITY_FEEDBACK_SLUG])
    return service_pages, created


def _link_feedback_form(statement: Page, feedback_page: ServicePage) -> None:
    """Point the accessibility statement of each language at the barrier report form in the same language.

    Only where no feedback form is set, so that an editor's own choice stays.
    """
    for translation in AccessibilityStatementPage.objects.filter(translation_key=statement.translation_key):
        if translation.feedback_page_id is None:
            translation.feedback_page = feedback_page.get_translation_or_none(translation.locale) or feedback_page
            translation.save_revision().publish()


def _with_ids(value: Any, references: dict[type, dict[str, int]]) -> Any:
    """The demo content with every DocumentRef and ServiceRef replaced by the id of what it names."""
    if isinstance(value, DocumentRef):
        return references[DocumentRef][value.key]
    if isinstance(value, ServiceRef):
        return references[ServiceRef][value.slug]
    if isinstance(value, dict):
        return {key: _with_ids(item, references) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_ids(item, references) for item in value]
    return value


def _same_question_ids(page: Page, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The English questions with the block ids of the German ones in the same place, as Wagtail's "Translate" keeps them:
    both versions then ask the same questions (services.questions.page_questions compares them by id)."""
    german = list(page.specific.questions.raw_data)
    return [{**question, "id": german[index]["id"]} if index < len(german) else question
            for index, question in enumerate(questions)]


def _publish_translation(page: Page, content: PageContent, locale: Locale, references: dict[type, dict[str, int]]) -> Page:
    """Copy a page into the locale (Wagtail keeps the translation key), put the English text in, publish it."""
    translation = page.copy_for_translation(locale, copy_parents=True, alias=False)
    translation.title = content.en.title
    translation.draft_title = content.en.title
    translation.search_description = content.en.search_description
    for name, value in _with_ids(content.en.fields, references).items():
        if name == "questions":
            value = _same_question_ids(page, value)
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def seed_documents() -> dict[str, Model]:
    """The demo documents (checklists as PDFs) in Wagtail's document library, looked up by title."""
    document_model = get_document_model()
    documents = {}
    for key, content in DEMO_DOCUMENTS.items():
        document = document_model.objects.filter(title=content.title).first()
        if document is None:
            pdf = weasyprint.HTML(string=f'<html lang="de"><body>{content.html}</body></html>').write_pdf()
            document = document_model(title=content.title)
            document.file.save(content.filename, ContentFile(pdf), save=False)
            document.file_size = len(pdf)
            document.save()
        documents[key] = document
    return documents


def seed_editorial(*, now: datetime.datetime | None = None) -> None:
    """Two-person approval for guidance in both languages, and the site-wide alert about the current phishing wave.

    The alert is set only while it has no text, so that an editor's own alert is never overwritten.
    """
    indexes = list(GuidanceIndexPage.objects.filter(slug=GUIDANCE_INDEX.slug))
    indexes += [index.get_translation_or_none(locale) for index in indexes for locale in Locale.objects.all()]
    editorial.guidance_workflow_assign(guidance_indexes=list({page.pk: page for page in indexes if page}.values()))
    alert = SiteAlert.load()
    if not alert.text:
        phishing = GuidancePage.objects.filter(slug="phishing-erkennen-und-melden", locale=Locale.get_default()).first()
        alert.active = True
        alert.severity = AlertSeverity.WARNING
        alert.text = SITE_ALERT_TEXT
        alert.text_english = SITE_ALERT_TEXT_ENGLISH
        alert.link_page = phishing
        alert.ends_at = (now or timezone.now()) + datetime.timedelta(days=14)
        alert.save()


def _make_default_site_root(home: Page) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME)
    elif site.root_page_id != home.pk or site.site_name != SITE_NAME:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()


def _delete_wagtail_welcome_page() -> None:
    """Remove "Welcome to your new Wagtail site!", the plain page Wagtail's migrations create, once nothing uses it."""
    site_roots = Site.objects.values_list("root_page_id", flat=True)
    Page.objects.filter(depth=2, numchild=0, slug="home").exact_type(Page).exclude(pk__in=site_roots).delete()

