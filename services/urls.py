from django.urls import path

from services import cancellation_views, views

app_name = "services"

urlpatterns = [
    path("", views.my_requests, name="my_requests"),
    path("working-days/", views.leave_working_days, name="leave_working_days"),
    path("<str:reference>/", views.request_detail, name="request_detail"),
    path("<str:reference>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("<str:reference>/cancel/", cancellation_views.request_cancel_view, name="request_cancel"),
    path("<str:reference>/edit/", views.request_edit, name="request_edit"),
    path("<str:reference>/decide/", views.request_decide_view, name="request_decide"),
    path("<str:reference>/forward/", views.request_forward_view, name="request_forward"),
    path("<str:reference>/substitute/confirm/", views.request_substitute_confirm_view, name="request_substitute_confirm"),
    path("<str:reference>/substitute/decline/", views.request_substitute_decline_view, name="request_substitute_decline"),
    path("<str:reference>/delete/", views.request_discard, name="request_discard"),
    path("<str:reference>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]

