"""The Kummerkasten's topics as a Wagtail snippet: editors keep the list staff choose from."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from services.kummerkasten.models import KummerkastenTopic


class KummerkastenTopicViewSet(SnippetViewSet):
    model = KummerkastenTopic
    icon = "help"
    menu_label = _("Kummerkasten topics")
    add_to_admin_menu = True
    list_display = ["name", "unit", "active", "sort_order"]
    panels = [FieldPanel("name"), FieldPanel("name_english"), FieldPanel("unit"), FieldPanel("active"), FieldPanel("sort_order")]


register_snippet(KummerkastenTopicViewSet)
