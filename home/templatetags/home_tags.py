"""Template tags for what every page shows from Wagtail: the site-wide alert and the accessibility statement link."""

from django import template
from django.http import HttpRequest
from wagtail.models import Locale

from home.models import AccessibilityStatementPage, SiteAlert

register = template.Library()


@register.inclusion_tag("includes/site_alert.html", takes_context=True)
def site_alert(context: template.Context) -> dict:
    """The alert while it is switched on and before its end (checked now, at render time)."""
    request: HttpRequest | None = context.get("request")
    alert = SiteAlert.load(request_or_site=request)
    return {"alert": alert if alert.is_showing() else None}


@register.simple_tag(takes_context=True)
def accessibility_statement_url(context: template.Context) -> str:
    """The URL of the published accessibility statement in the reader's language (or the default language's)."""
    statements = AccessibilityStatementPage.objects.live().order_by("pk")
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        locale = None
    statement = (statements.filter(locale=locale).first() if locale else None) or statements.first()
    return statement.get_url(request=context.get("request")) or "" if statement else ""
