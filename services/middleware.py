"""Middleware of the request domain."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from services import permissions


class GrantsOncePerPageMiddleware:
    """A page that only reads (GET, HEAD) computes each person's responsibilities once, however many of its parts ask
    (the dashboard's queue count, the request list, the calendar's units …): services.permissions.grants_remembered.
    A request that changes something (POST) computes them afresh at every question."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with permissions.grants_remembered():
            return self.get_response(request)
