"""Publishing a Kummerkasten question with its answer, edited, to the FAQ page through the editorial workflow."""

from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from wagtail.models import Revision
from wagtail.rich_text import RichText

from home.models import KummerkastenFaqPage
from portal.models import User
from portal.security_log import security_event
from services.kummerkasten.models import KummerkastenMessage


class FaqPublishError(Exception):
    """The entry cannot be submitted; the message says why."""


def faq_page_for_publishing() -> KummerkastenFaqPage | None:
    """The FAQ page entries go to: the first in the page tree (the German one comes first)."""
    return KummerkastenFaqPage.objects.order_by("path").first()


@transaction.atomic
def kummerkasten_faq_entry_submit(*, message: KummerkastenMessage, handler: User, question: str, answer: str,
                                  page: KummerkastenFaqPage | None = None) -> Revision:
    """Add the entry to the newest revision of the FAQ page as a draft and submit it to moderation; nothing goes live."""
    page = page or faq_page_for_publishing()
    if page is None:
        raise FaqPublishError(_("There is no Kummerkasten FAQ page yet; the editors need to create one."))
    workflow = page.get_workflow()
    if workflow is None:
        raise FaqPublishError(_("The FAQ page has no editorial workflow, so the entry cannot be submitted for approval."))
    draft = page.get_latest_revision_as_object()
    draft.entries.append(("entry", {"question": question, "answer": RichText(linebreaks(escape(answer)))}))
    revision = draft.save_revision(user=handler, log_action=True)
    if not page.workflow_in_progress:
        workflow.start(page, handler)
    # A workflow already in progress reviews the newest revision, this one.
    security_event("kummerkasten_faq_submitted", user=handler, message=str(message.pk), page=page.pk, revision=revision.pk)
    return revision
