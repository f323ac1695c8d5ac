"""Every address of the request domain, included once by portal/urls.py (inside the language prefixes)."""

from django.urls import include, path

from services.documents import urls as documents_urls
from services.leave import urls as leave_urls
from services.privacy import urls as privacy_urls
from services.views import audit, decisions, requests

request_urlpatterns = [
    path("", requests.my_requests, name="my_requests"),
    *leave_urls.request_urlpatterns,
    path("<str:reference>/", requests.request_detail, name="request_detail"),
    path("<str:reference>/withdraw/", requests.request_withdraw, name="request_withdraw"),
    path("<str:reference>/edit/", requests.request_edit, name="request_edit"),
    path("<str:reference>/decide/", decisions.request_decide_view, name="request_decide"),
    path("<str:reference>/forward/", decisions.request_forward_view, name="request_forward"),
    path("<str:reference>/substitute/confirm/", decisions.request_substitute_confirm_view, name="request_substitute_confirm"),
    path("<str:reference>/substitute/decline/", decisions.request_substitute_decline_view, name="request_substitute_decline"),
    path("<str:reference>/delete/", requests.request_discard, name="request_discard"),
    path("<str:reference>/attachments/<int:attachment_id>/", requests.attachment_download, name="attachment_download"),
    *documents_urls.request_urlpatterns,
]

urlpatterns = [
    path("requests/", include((request_urlpatterns, "services"))),
    path("queue/", decisions.queue, name="queue"),
    path("queue/decided/", decisions.decided, name="decided"),
    path("audit/", audit.audit_form, name="audit"),
    path("audit/export/", audit.audit_export, name="audit_export"),
    path("delegations/", include("services.delegation.urls")),
    path("", include("services.notifications.urls")),
    path("", include(leave_urls.urlpatterns)),
    path("account/", include(privacy_urls.urlpatterns)),
    path("surveys/", include("services.surveys.urls")),
    path("", include(documents_urls.urlpatterns)),
    path("phishing/", include("services.phishing.urls")),
    path("coffee/", include("services.coffee.urls")),
    path("kummerkasten/", include("services.kummerkasten.urls")),
]
