"""The content blocks editors use on guidance and service pages.

One reusable StreamBlock (GuidanceStreamBlock) built from small blocks, each rendered by its own
template under templates/blocks/. Plain-text values (titles, names, questions) are escaped by the
templates; only rich text goes through Wagtail's whitelist.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

LIMITED_RICH_TEXT = ["bold", "italic", "link", "document-link", "ul", "ol"]


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


class StepsBlock(blocks.StructBlock):
    """Numbered instructions ("Schritt für Schritt"), one short rich text per step."""

    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    steps = blocks.ListBlock(
        blocks.RichTextBlock(label=_("Step"), features=["bold", "italic", "link", "code"]), label=_("Steps"), min_num=1,
    )

    class Meta:
        template = "blocks/steps_block.html"
        icon = "list-ol"
        label = _("Numbered steps")


class QuestionBlock(blocks.StructBlock):
    """One question of an FAQ with its answer."""

    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=LIMITED_RICH_TEXT)

    class Meta:
        icon = "help"
        label = _("Question")


class FaqBlock(blocks.StructBlock):
    """Frequently asked questions as an accordion: each answer opens below its question, without JavaScript."""

    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        template = "blocks/faq_block.html"
        icon = "help"
        label = _("Frequently asked questions")


class DocumentBlock(blocks.StructBlock):
    """A document from Wagtail's library (a form, a checklist) to download."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"), max_length=120, required=False, help_text=_("Leave empty to use the document's title."),
    )
    description = blocks.CharBlock(label=_("Description"), max_length=300, required=False)

    class Meta:
        template = "blocks/document_block.html"
        icon = "doc-full"
        label = _("Document download")


class ContactCardBlock(blocks.StructBlock):
    """Whom to ask: a person or a service desk."""

    name = blocks.CharBlock(label=_("Name"), max_length=120)
    role = blocks.CharBlock(label=_("Role or unit"), max_length=160, required=False)
    phone = blocks.CharBlock(label=_("Phone"), max_length=40, required=False)
    email = blocks.EmailBlock(label=_("Email"), required=False)

    class Meta:
        template = "blocks/contact_card_block.html"
        icon = "user"
        label = _("Contact card")


class RelatedServicesBlock(blocks.StructBlock):
    """Links to the self-services that belong to the guidance ("Jetzt beantragen")."""

    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    services = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="home.ServicePage", label=_("Service")), label=_("Services"), min_num=1,
    )

    class Meta:
        template = "blocks/related_services_block.html"
        icon = "link"
        label = _("Related services")


class GuidanceStreamBlock(blocks.StreamBlock):
    """The one reusable body of guidance and service pages."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120, template="blocks/heading_block.html", icon="title")
    paragraph = blocks.RichTextBlock(label=_("Text"), template="blocks/paragraph_block.html", icon="pilcrow")
    callout = CalloutBlock()
    steps = StepsBlock()
    faq = FaqBlock()
    document = DocumentBlock()
    contact = ContactCardBlock()
    related_services = RelatedServicesBlock()


# --- Extra questions on a service page ------------------------------------------------------------
# Asked beside the kind's own typed fields, never instead of them; services.questions turns them into
# form fields, checks the answers and keeps a snapshot of the questions with each request.


class ExtraQuestionBlock(blocks.StructBlock):
    """What every extra question has: the question itself, a hint, and whether an answer is required."""

    label = blocks.CharBlock(label=_("Question"), max_length=200)
    help_text = blocks.CharBlock(label=_("Hint"), max_length=300, required=False)
    required = blocks.BooleanBlock(label=_("Answer required"), required=False, default=True)

    class Meta:
        icon = "help"


class ShortTextQuestionBlock(ExtraQuestionBlock):
    class Meta:
        label = _("Short text")
        icon = "pilcrow"


class LongTextQuestionBlock(ExtraQuestionBlock):
    class Meta:
        label = _("Long text")
        icon = "doc-full"


class ChoiceQuestionBlock(ExtraQuestionBlock):
    options = blocks.ListBlock(blocks.CharBlock(label=_("Option"), max_length=200), label=_("Options"), min_num=1)

    class Meta:
        label = _("Choice")
        icon = "list-ul"


class DateQuestionBlock(ExtraQuestionBlock):
    """A date; editors may state simple rules the answer must keep, checked when the form is sent."""

    not_in_past = blocks.BooleanBlock(label=_("Not in the past"), required=False, default=False,
                                      help_text=_("The answer must be today or later."))
    not_before = blocks.CharBlock(
        label=_("Not before the date asked in"), max_length=200, required=False,
        help_text=_("The wording of another date question on this page, e.g. “From”: this date must not be before"
                    " the answer to it (a “to” date after a “from” date)."),
    )

    class Meta:
        label = _("Date")
        icon = "date"


class NumberQuestionBlock(ExtraQuestionBlock):
    class Meta:
        label = pgettext_lazy("type of an extra question", "Number")
        icon = "order"


class YesNoQuestionBlock(ExtraQuestionBlock):
    class Meta:
        label = _("Yes or no")
        icon = "tick"


class FileQuestionBlock(ExtraQuestionBlock):
    class Meta:
        label = _("File (PDF, PNG or JPEG)")
        icon = "doc-empty"


class QuestionStreamBlock(blocks.StreamBlock):
    """The extra questions editors add to a service page; the block type is the question's type."""

    short_text = ShortTextQuestionBlock()
    long_text = LongTextQuestionBlock()
    choice = ChoiceQuestionBlock()
    date = DateQuestionBlock()
    number = NumberQuestionBlock()
    yes_no = YesNoQuestionBlock()
    file = FileQuestionBlock()
