"""Template helpers that give any Django form field the KERN UX markup and accessible descriptions."""

from django import forms, template
from django.utils.translation import gettext_lazy as _

register = template.Library()


def widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.Select):
        return "kern-form-input__select"
    if isinstance(widget, forms.Textarea):
        return "kern-form-input__input portal-textarea"
    return "kern-form-input__input"


@register.filter
def kern_widget(bound_field: forms.BoundField) -> str:
    """Render the field's widget with KERN classes, `aria-describedby` for hint and error, `aria-invalid`."""
    widget = bound_field.field.widget
    css = " ".join(filter(None, [widget.attrs.get("class", ""), widget_class(widget)]))
    attrs = {"class": css}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += " kern-form-input__input--error" if "kern-form-input" in css else " kern-form-check__checkbox--error"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def city_sign_on(context) -> dict:
    """For the login page: the city's OpenID Connect provider (or None) and whether the password form is offered."""
    from portal.sso import city_provider, local_login_offered

    request = context.get("request")
    return {"provider": city_provider(request) if request is not None else None, "local_login": local_login_offered()}


# allauth gives several steps one title ("Sign In" for both the password and the second factor, "Change
# Password" for three pages); these steps get a title of their own, so that every page is told apart (WCAG 2.4.2).
ACCOUNT_PAGE_TITLES = {
    "mfa_authenticate": _("Sign in: second factor"),
    "account_reauthenticate": _("Confirm access with your password"),
    "mfa_reauthenticate": _("Confirm access with your second factor"),
    "account_reset_password_done": _("Password reset: check your email"),
    "account_reset_password_from_key": _("Choose a new password"),
    "account_reset_password_from_key_done": _("New password saved"),
}


@register.simple_tag(takes_context=True)
def account_page_title(context) -> str:
    """The portal's own title for an allauth page whose title allauth shares with another page, else ''."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return str(ACCOUNT_PAGE_TITLES.get(match.url_name, "")) if match else ""
