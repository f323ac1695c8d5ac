"""The outbox in the Wagtail admin: every mail with its status, recipient, subject, tries and last error.

Read-only and for superusers only: the mails hold personal data, and nobody edits a mail once it is queued.
post-office's own Django admin is not used; the portal is administered in Wagtail.
"""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from post_office.models import STATUS, Email, Log
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

STATUS_LABELS = {STATUS.sent: _("sent"), STATUS.failed: _("given up"), STATUS.queued: _("queued"),
                 STATUS.requeued: _("waiting for another try")}


class SuperusersMayLookPolicy(BasePermissionPolicy):
    """Superusers may list and inspect the outbox; nobody may add, change or delete a mail here."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from portal.models import User

        return User.objects.filter(is_active=True, is_superuser=True) if "view" in actions else User.objects.none()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class OutboxIndexView(IndexView):
    """The list of mails, each with the message of its latest failed try."""

    def get_base_queryset(self):
        last_failure = Log.objects.filter(email=OuterRef("pk"), status=STATUS.failed).order_by("-date", "-pk")
        return super().get_base_queryset().annotate(last_error=Subquery(last_failure.values("message")[:1]))


class OutboxViewSet(ModelViewSet):
    model = Email
    index_view_class = OutboxIndexView
    name = "outbox"
    icon = "mail"
    menu_label = _("Outbox")
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["subject"]  # the add and edit views exist in Wagtail but the policy refuses them to everyone
    list_filter = ["status"]
    search_fields = None
    ordering = ["-created"]
    inspect_view_fields = ["to", "subject", "status", "number_of_retries", "created", "last_updated", "scheduled_time",
                           "message"]

    @property
    def list_display(self):
        return [
            Column("status", label=_("Status"), accessor=lambda mail: STATUS_LABELS.get(mail.status, mail.status)),
            Column("to", label=_("Recipient"), accessor=lambda mail: ", ".join(mail.to)),
            Column("subject", label=_("Subject")),
            Column("number_of_retries", label=_("Failed tries"), accessor=lambda mail: mail.number_of_retries or 0),
            Column("last_error", label=_("Last error"), accessor="last_error"),
            Column("last_updated", label=_("Last attempt")),
        ]

    def get_permissions_to_register(self):
        return []


register_permission_policy(Email, SuperusersMayLookPolicy(Email))


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet()
