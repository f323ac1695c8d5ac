"""Response headers that tell the browser what a page may do: Content-Security-Policy and Permissions-Policy.

The portal's own pages get the strict policy of CONTENT_SECURITY_POLICY (scripts and styles from the portal
itself or with the request's nonce, nothing inline). The Wagtail admin still runs inline scripts, inline
styles and eval() in its choosers, so the paths of CSP_ADMIN_PATH_PREFIXES get CSP_ADMIN_POLICY instead:
the same origins, with 'unsafe-inline' and 'unsafe-eval' for scripts and styles there only.
"""

from collections.abc import Callable, Mapping, Sequence

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's relaxed policy under the admin's paths."""

    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.CSP_ADMIN_POLICY["DIRECTIVES"]
        return parts


def is_admin_path(path_info: str) -> bool:
    return path_info.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))


def permissions_policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """The Permissions-Policy header of `policy` (feature → allowed origins, "self" for the portal's own):
    `camera=(), publickey-credentials-get=(self)`."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Sets Permissions-Policy from PERMISSIONS_POLICY on every response that has none: the portal needs no
    camera, microphone, location or payment, only passkeys (WebAuthn) on its own origin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
