"""The "Leave" menu of the Wagtail admin: what administrators configure about leave.

Types of leave, the occasions for paid time off (TVöD §29), the city's own days off, and the HR facts
the leave rules need beyond the staff import: suspensions of employment (TVöD §26 (2) c) and
carry-overs extended until 31 May (TVöD §26 (2) a). Registered as snippets, so that the usual model
permissions apply (superusers, or groups given them).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.models import CarryOverExtension, EmploymentSuspension
from services.leave.models import LeaveOccasion, LeaveType, MunicipalDayOff


class LeaveTypeViewSet(SnippetViewSet):
    model = LeaveType
    icon = "tag"
    list_display = ["name_de", "name_en", "code", "deducts_from_balance", "half_days_allowed", "active", "order"]
    ordering = ["order", "code"]


class LeaveOccasionViewSet(SnippetViewSet):
    model = LeaveOccasion
    icon = "list-ul"
    list_display = ["name_de", "legal_reference", "max_days", "per_calendar_year", "active"]
    ordering = ["order", "code"]


class MunicipalDayOffViewSet(SnippetViewSet):
    model = MunicipalDayOff
    icon = "date"
    list_display = ["date", "name", "half_day"]
    ordering = ["-date"]


class EmploymentSuspensionViewSet(SnippetViewSet):
    model = EmploymentSuspension
    icon = "time"
    list_display = ["user", "start", "end", "reason"]


class CarryOverExtensionViewSet(SnippetViewSet):
    model = CarryOverExtension
    icon = "history"
    list_display = ["user", "year", "reason"]


class LeaveViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Leave")
    menu_icon = "date"
    menu_name = "leave"
    items = (LeaveTypeViewSet, LeaveOccasionViewSet, MunicipalDayOffViewSet, EmploymentSuspensionViewSet, CarryOverExtensionViewSet)


register_snippet(LeaveViewSetGroup)
