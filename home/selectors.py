"""Read queries over Wagtail pages: which pages a reader may see, and searching them."""

import re

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.search.query import And, Or, PlainText, SearchQuery

from home.models import GuidancePage, ServicePage
from home.stemming import word_stems

SEARCHABLE_PAGE_TYPES = (GuidancePage, ServicePage)
MAX_QUERY_LENGTH = 200


def pages_visible_to(request: HttpRequest) -> QuerySet[Page]:
    """Live pages minus every subtree under a view restriction this request does not pass.

    For anonymous readers this is Wagtail's `.public()`; a logged-in reader also sees pages
    restricted to logged-in users or to one of their groups, and pages whose password they entered
    in this session.
    """
    hidden = Q()
    for restriction in PageViewRestriction.objects.select_related("page"):
        if not restriction.accept_request(request):
            hidden |= Q(path__startswith=restriction.page.path)
    pages = Page.objects.live()
    return pages.exclude(hidden) if hidden else pages


def search_words(query: str) -> str:
    """The words of `query`, without what a search backend reads as syntax: SQLite's full-text index fails on an
    unbalanced `"`, a `>` or a lone `*` instead of finding nothing. Every word must match, as before."""
    return " ".join(re.findall(r"\w+", query[:MAX_QUERY_LENGTH]))


def search_query(words: str) -> SearchQuery:
    """Every word must match, as itself or as one of its German stems (home.stemming), on either database."""
    terms = []
    for word in words.split():
        variants = list(dict.fromkeys([word, *word_stems(word)]))
        terms.append(Or([PlainText(variant) for variant in variants]) if len(variants) > 1 else PlainText(word))
    return terms[0] if len(terms) == 1 else And(terms)


def search_pages(request: HttpRequest, query: str):
    """Guidance and service pages in the reader's language that match `query`, most relevant first."""
    query = search_words(query)
    if not query:
        return Page.objects.none()
    pages = pages_visible_to(request).type(*SEARCHABLE_PAGE_TYPES).filter(locale=Locale.get_active())
    return pages.search(search_query(query))
