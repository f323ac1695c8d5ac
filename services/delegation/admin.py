"""The "Organisation" menu of the Wagtail admin: org units, delegations and responsibilities.

Org units come from the HR import and delegations from the portal's own pages, each through its
service, so here they can only be looked at: org units by administrators and those given the "view"
permission, delegations by administrators only. Responsibilities ("decide leave in unit U and below") are managed here by
administrators (superusers): granting and withdrawing go through services.delegation.services, which
writes the AuditEvent, never through a plain model save.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, IndexView, InspectView
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.mfa import require_reauthentication
from portal.models import OrgUnit, OrgUnitUserPermission, User
from portal.responsibilities import RESPONSIBILITY_CODENAMES, responsibility_labels
from portal.wagtail_admin import OrgUnitViewSet, SuperuserOnlyPermissionPolicy
from services.delegation.models import Delegation
from services.delegation.services import responsibility_grant, responsibility_withdraw


def local_datetime(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


# Delegations carry their reasons ("Krankheit", "Elternzeit"): in the admin only administrators look them up;
# everybody else sees the delegations they gave or received on the portal's own /delegations/ page.
register_permission_policy(Delegation, SuperuserOnlyPermissionPolicy(Delegation, {"view"}), exact_class=True)


# --- Delegations ------------------------------------------------------------------------------------

class DelegationIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("delegator", "delegate", "delegate_group", "unit")


def delegation_permissions(delegation: Delegation) -> str:
    labels = responsibility_labels()
    return ", ".join(labels.get(codename, codename) for codename in delegation.permissions)


def delegation_window(delegation: Delegation) -> str:
    return f"{local_datetime(delegation.starts_at)} – {local_datetime(delegation.ends_at)}"


def yes_no(value: bool) -> str:
    """Ja/Nein (Yes/No) instead of Python's True/False."""
    return gettext("Yes") if value else gettext("No")


class DelegationInspectView(InspectView):
    """Responsibilities by name, yes/no in words, times in local time: what a person reads, not what is stored."""

    def get_permissions_display_value(self):
        return delegation_permissions(self.object)

    def get_allow_redelegation_display_value(self):
        return yes_no(self.object.allow_redelegation)

    def get_starts_at_display_value(self):
        return local_datetime(self.object.starts_at)

    def get_ends_at_display_value(self):
        return local_datetime(self.object.ends_at)

    def get_created_at_display_value(self):
        return local_datetime(self.object.created_at)

    def get_revoked_at_display_value(self):
        return local_datetime(self.object.revoked_at) or "–"


class DelegationViewSet(ModelViewSet):
    """Every delegation, for administrators to look up; created and revoked only on the portal's delegation pages."""

    model = Delegation
    icon = "user"
    index_view_class = DelegationIndexView
    inspect_view_class = DelegationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    ordering = ["-starts_at", "-pk"]
    list_filter = ["allow_redelegation"]
    list_display = [
        "__str__",
        Column("delegator", label=_("delegated by"), accessor="delegator"),
        Column("delegate", label=_("delegate"), accessor=lambda delegation: delegation.delegate or delegation.delegate_group),
        Column("unit", label=_("unit and all below"), accessor="unit"),
        Column("permissions", label=_("responsibilities"), accessor=delegation_permissions),
        Column("window", label=_("period"), accessor=delegation_window),
        Column("revoked", label=_("revoked"), accessor=lambda delegation: local_datetime(delegation.revoked_at)),
        Column("allow_redelegation", label=_("may delegate further"),
               accessor=lambda delegation: yes_no(delegation.allow_redelegation)),
    ]
    inspect_view_fields = [
        "delegator", "delegate", "delegate_group", "unit", "permissions", "starts_at", "ends_at", "reason",
        "allow_redelegation", "parent", "created_at", "revoked_at", "revoked_by",
    ]
    form_fields = ["reason"]  # Wagtail builds the (never permitted) edit view with them

    def get_permissions_to_register(self):
        return Permission.objects.none()  # administrators only; no group permission would mean anything


# --- Choosing a person -----------------------------------------------------------------------------

class PersonSearchForm(BaseFilterForm):
    """Search the staff by name or e-mail address (a few letters are enough), instead of a list of everybody."""

    q = forms.CharField(label=_("Name or e-mail address"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Search"), "autocomplete": "off"}))

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            for word in query.split()[:5]:
                objects = objects.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
            self.is_searching = True
            self.search_query = query
        return objects


class PersonChooseViewMixin:
    """Only administrators, who grant responsibilities, look people up here (the list shows e-mail addresses)."""

    filter_form_class = PersonSearchForm

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return User.objects.filter(is_active=True).select_related("unit").order_by("last_name", "first_name", "email")

    @property
    def columns(self):
        return [self.title_column, Column("email", label=_("e-mail address")),
                Column("unit", label=_("unit"), accessor=lambda person: person.unit or "")]


class PersonChooseView(PersonChooseViewMixin, ChooseView):
    pass


class PersonChooseResultsView(PersonChooseViewMixin, ChooseResultsView):
    pass


class PersonChooserViewSet(ChooserViewSet):
    """A searchable chooser of active staff for the responsibility form (a select of 200 and more people helps nobody)."""

    model = User
    icon = "user"
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    page_title = _("Choose a person")
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    register_widget = False  # only where asked for: the responsibility form
    per_page = 20


person_chooser_viewset = PersonChooserViewSet("person_chooser", url_prefix="organisation/person-chooser")


@hooks.register("register_admin_viewset")
def register_person_chooser():
    return person_chooser_viewset


# --- Responsibilities -------------------------------------------------------------------------------

class ResponsibilityForm(WagtailAdminModelForm):
    """One responsibility of one person on one unit (and so on everything below it)."""

    class Meta:
        model = OrgUnitUserPermission
        fields = ["user", "content_object", "permission"]
        labels = {"user": _("person"), "content_object": _("unit and all below"), "permission": _("responsibility")}
        widgets = {"user": person_chooser_viewset.widget_class}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name", "email")
        self.fields["content_object"].queryset = OrgUnit.objects.order_by("path")
        self.fields["content_object"].label_from_instance = lambda unit: f"{'— ' * (unit.depth - 1)}{unit.code} {unit.name}"
        self.fields["permission"].queryset = Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(OrgUnit), codename__in=RESPONSIBILITY_CODENAMES,
        ).order_by("codename")
        labels = responsibility_labels()
        self.fields["permission"].label_from_instance = lambda permission: labels.get(permission.codename, permission.name)


class ResponsibilityCreateView(CreateView):
    def post(self, request, *args, **kwargs):
        # Granting a responsibility asks for the password (or a code) again; allauth replays the form after.
        require_reauthentication(request)
        return super().post(request, *args, **kwargs)

    def save_instance(self):
        """Grant through the services layer, which writes the AuditEvent; return the row it created."""
        data = self.form.cleaned_data
        # The form offers only known responsibilities, so responsibility_grant has nothing to refuse.
        responsibility_grant(actor=self.request.user, holder=data["user"], unit=data["content_object"],
                             codenames=[data["permission"].codename])
        return OrgUnitUserPermission.objects.get(user=data["user"], content_object=data["content_object"],
                                                 permission=data["permission"])

    def get_success_buttons(self):
        return []  # there is no edit view to link to


class ResponsibilityDeleteView(DeleteView):
    def post(self, request, *args, **kwargs):
        require_reauthentication(request)
        return super().post(request, *args, **kwargs)

    def delete_action(self):
        """Withdraw through the services layer, which writes the AuditEvent."""
        responsibility_withdraw(actor=self.request.user, holder=self.object.user, unit=self.object.content_object,
                                codenames=[self.object.permission.codename])


class ResponsibilityIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "content_object", "permission")


class ResponsibilityViewSet(ModelViewSet):
    """Who holds which responsibility for which unit: granted and withdrawn here by administrators."""

    model = OrgUnitUserPermission
    icon = "key"
    menu_label = _("Responsibilities")
    index_view_class = ResponsibilityIndexView
    add_view_class = ResponsibilityCreateView
    delete_view_class = ResponsibilityDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    ordering = ["content_object__path", "user__last_name", "permission__codename"]
    list_display = [
        Column("user", label=_("person"), accessor="user"),
        Column("content_object", label=_("unit and all below"), accessor="content_object"),
        Column("permission", label=_("responsibility"),
               accessor=lambda row: responsibility_labels().get(row.permission.codename, row.permission.name)),
    ]

    def get_form_class(self, for_update=False):
        return ResponsibilityForm

    def get_permissions_to_register(self):
        return Permission.objects.none()  # superusers only; no group permission would mean anything


class OrganisationViewSetGroup(ViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "site"
    menu_order = 250
    items = (OrgUnitViewSet, DelegationViewSet, ResponsibilityViewSet)


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationViewSetGroup()
