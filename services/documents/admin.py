"""Decision documents in the Wagtail admin: every document with its status, warnings and last error.

Read-only and for superusers, like the outbox: a rendering that failed (a template error, say) is seen here with
its error and number of attempts, and the next run of the task retries it. Nobody edits an issued document.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.wagtail_admin import SuperuserOnlyPermissionPolicy
from services.documents.models import DecisionDocument


class DecisionDocumentViewSet(ModelViewSet):
    model = DecisionDocument
    name = "decision_documents"
    icon = "doc-full"
    menu_label = _("Decision documents")
    menu_order = 910
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["language"]  # the add and edit views exist in Wagtail but the policy refuses them to everyone
    list_filter = ["status", "outcome"]
    search_fields = None
    ordering = ["-decided_at", "-pk"]
    inspect_view_fields = ["request", "status", "outcome", "kind", "decided_at", "language", "sha256", "size",
                           "issued_at", "attempts", "warnings", "error"]

    @property
    def list_display(self):
        return [
            Column("request", label=_("request"), accessor=lambda document: document.request.reference),
            Column("status", label=_("status"), accessor="get_status_display"),
            Column("outcome", label=_("outcome"), accessor="get_outcome_display"),
            Column("attempts", label=_("attempts")),
            Column("error", label=_("error"), accessor=lambda document: document.error.splitlines()[-1:] and
                   document.error.splitlines()[-1][:200]),
            Column("issued_at", label=_("issued")),
        ]

    def get_permissions_to_register(self):
        return []


register_permission_policy(DecisionDocument, SuperuserOnlyPermissionPolicy(DecisionDocument, {"view"}), exact_class=True)


@hooks.register("register_admin_viewset")
def register_decision_document_viewset():
    return DecisionDocumentViewSet()
