"""Template tags for what every page shows from Wagtail: the site-wide alert, the accessibility statement link, the user bar."""

from django import template
from django.conf import settings
from django.db.models import Case, When
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar
from wagtail.coreutils import get_supported_content_language_variant

from home.models import AccessibilityStatementPage, SiteAlert
from services import permissions

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
    try:
        language = get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        language = ""
    # One query: the reader's language first, else the first statement of any language (no separate locale lookup).
    statement = (AccessibilityStatementPage.objects.live()
                 .annotate(other_language=Case(When(locale__language_code=language, then=0), default=1))
                 .order_by("other_language", "pk").first())
    return statement.get_url(request=context.get("request")) or "" if statement else ""


@register.simple_tag(takes_context=True)
def userbar(context: template.Context, position: str = "bottom-right") -> str:
    """Wagtail's user bar for those who may use Wagtail's admin, nothing for everyone else.

    Wagtail's own tag asks `has_perm("wagtailadmin.access_admin")`, which loads every permission the reader holds (two
    queries on every page); whether they hold this one is one query, and only those who do go on to Wagtail's tag.
    """
    user = getattr(context.get("request"), "user", None)
    if user is None or not permissions.holds_model_permission(user, "wagtailadmin.access_admin"):
        return ""
    return wagtailuserbar(context, position)
