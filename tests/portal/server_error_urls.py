"""The portal's addresses and one that fails as a bug would (tests/portal/test_logging.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the decision document of request 42 could not be rendered")


urlpatterns = [path("kaputt/", failing_view), *portal_urlpatterns]
