"""The organisation tree in the Wagtail admin, and the permission policies of read-only admin listings.

Org units come from the HR import, so the admin can only look at them. The viewset is put into the
"Organisation" menu by services.delegation.admin, beside delegations and responsibilities.
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy, ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.models import OrgUnit, OrgUnitUserPermission, User


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Whoever holds the model's "view" permission (and every superuser) may look; nobody may change anything here."""

    allowed_actions = frozenset({"view"})

    def user_has_permission(self, user, action):
        return action in self.allowed_actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action in self.allowed_actions])


class SuperuserOnlyPermissionPolicy(BasePermissionPolicy):
    """Only active superusers, and only for the given actions (responsibilities are never edited in place)."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        if self.actions.intersection(actions):
            return User.objects.filter(is_active=True, is_superuser=True)
        return User.objects.none()


# Registered before the viewsets so that Wagtail never falls back to its default model policy.
register_permission_policy(OrgUnit, ViewOnlyPermissionPolicy(OrgUnit), exact_class=True)
register_permission_policy(
    OrgUnitUserPermission, SuperuserOnlyPermissionPolicy(OrgUnitUserPermission, {"view", "add", "delete"}), exact_class=True)


class ViewPermissionOnlyMixin:
    """Offer only the "view" permission in the group editor: the others would grant nothing here."""

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename__startswith="view_")


# --- Org units --------------------------------------------------------------------------------------

class OrgUnitIndexView(IndexView):
    def get_base_queryset(self):
        # The parent's name in the same query: in a materialised path the parent's path is ours minus one step.
        parent = OrgUnit.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen))
        return super().get_base_queryset().annotate(parent_name=Subquery(parent.values("name")[:1]))


class OrgUnitViewSet(ViewPermissionOnlyMixin, ModelViewSet):
    """The organisation tree as imported from the HR system; read-only."""

    model = OrgUnit
    icon = "group"
    index_view_class = OrgUnitIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    ordering = ["path"]
    search_fields = ["name", "code", "short_name"]
    list_filter = ["level"]
    list_display = [
        "name",
        "code",
        Column("level", label=_("level"), accessor="get_level_display"),
        Column("parent", label=_("parent unit"), accessor="parent_name"),
    ]
    inspect_view_fields = ["name", "short_name", "code", "level"]
    form_fields = inspect_view_fields  # Wagtail builds the (never permitted) edit view with them
