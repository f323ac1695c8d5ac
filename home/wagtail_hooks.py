"""Editors are warned before publishing when a service page and its translations ask different extra questions.

Each question keeps its block id when a page is translated (Wagtail's "Translate"), so the versions are
compared by id. The page is published all the same: applicants are asked a question missing from their
version in the other version's wording (services.questions.page_questions), so nobody is asked less; the
warning tells the editor to add the wording in every language.
"""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks

from home.models import ServicePage
from services.questions import own_questions


def question_differences(page: ServicePage) -> list[str]:
    """One sentence for each version whose questions differ: this one (as being published) against each translation."""
    own = own_questions(page)
    own_ids = {question.id for question in own}
    differences = []
    for translation in page.get_translations().specific().select_related("locale").order_by("locale__language_code"):
        theirs = own_questions(translation)
        their_ids = {question.id for question in theirs}
        language = translation.locale.get_display_name()
        lacking_there = [question for question in own if question.id not in their_ids]
        lacking_here = [question for question in theirs if question.id not in own_ids]
        if lacking_there:
            differences.append(_("The version in %(language)s lacks: %(questions)s.") % {
                "language": language, "questions": _labels(lacking_there)})
        if lacking_here:
            differences.append(_("This version lacks what the version in %(language)s asks: %(questions)s.") % {
                "language": language, "questions": _labels(lacking_here)})
    return differences


def _labels(questions) -> str:
    return ", ".join(f"“{question.label}”" for question in questions)


@hooks.register("before_publish_page")
def warn_about_questions_out_of_step(request, page):
    """Shown with the confirmation of publishing; the page is published all the same."""
    page = page.specific
    if not isinstance(page, ServicePage):
        return None
    differences = question_differences(page)
    if differences:
        messages.warning(request, " ".join([
            _("The translations of this service page ask different extra questions; applicants are asked the missing ones"
              " in the other language's wording until you add them."), *differences]))
    return None
