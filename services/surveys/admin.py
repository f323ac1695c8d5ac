"""Pulse surveys in the Wagtail admin: editors define a survey as a snippet; saving it schedules its rounds."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from services.surveys.models import Survey
from services.surveys.services import survey_rounds_schedule


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "list-ul"
    menu_label = _("Pulse surveys")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["title", "first_round_opens_on", "round_every_days", "round_count"]
    copy_view_enabled = False


register_snippet(SurveyViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def schedule_rounds_after_save(request, instance):
    if isinstance(instance, Survey):
        survey_rounds_schedule(survey=instance)
