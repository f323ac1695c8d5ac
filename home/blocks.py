"""The content blocks editors use on guidance and service pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: information, a warning or a security alert."""

    tone = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Warning")), ("danger", _("Security alert"))], default="info",
        label=_("Tone"),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        template = "blocks/callout_block.html"
        icon = "warning"
        label = _("Callout")


class GuidanceStreamBlock(blocks.StreamBlock):
    """The one reusable body of guidance and service pages."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120, template="blocks/heading_block.html", icon="title")
    paragraph = blocks.RichTextBlock(label=_("Text"), template="blocks/paragraph_block.html", icon="pilcrow")
    callout = CalloutBlock()
