"""Views beside the Wagtail page tree."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from home import selectors
from portal.http import private_response

RESULTS_PER_PAGE = 10


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over guidance and service pages (`/search/?query=…`).

    Results depend on who asks (restricted pages), so a logged-in reader's results are never stored.
    """
    query = request.GET.get("query", "").strip()
    results = selectors.search_pages(request, query)
    results_page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    results_list = [page.specific_deferred for page in results_page.object_list]
    response = render(request, "home/search_results.html", {
        "search_query": query, "results_page": results_page, "results": results_list,
        "rows": [(page, page.search_description or getattr(page, "summary", "")) for page in results_list],
    })
    return private_response(response) if request.user.is_authenticated else response
