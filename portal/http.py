"""Small helpers for responses, shared by the portal's apps."""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


def private_response(response: HttpResponse) -> HttpResponse:
    """Pages with forms or personal data must never be stored by a browser or proxy."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response
