"""Showing what a phishing report holds without ever making it a link."""

from django import template

from services.phishing import parsing

register = template.Library()


@register.filter
def defang(value: str) -> str:
    """hxxps://evil[.]example for an address, noreply[@]bank[.]example for a sender (escaped as usual)."""
    return parsing.defang(str(value)) if value else ""


@register.filter
def defang_text(value: str) -> str:
    """A text with every web address in it defanged."""
    return parsing.defang_text(str(value)) if value else ""
