"""The addresses of leave's pages; services/urls.py puts them together with the rest of the request domain."""

from django.urls import path, re_path

from services.leave import expiry_views, views

# Below /requests/, beside the request pages.
request_urlpatterns = [
    path("working-days/", views.leave_working_days, name="leave_working_days"),
    path("<str:reference>/cancel/", views.request_cancel_view, name="request_cancel"),
]

urlpatterns = [
    path("leave/notices/<int:pk>/", expiry_views.leave_expiry_notice, name="leave_expiry_notice"),
    path("leave/notices/proof/", expiry_views.leave_expiry_notice_proof, name="leave_expiry_notice_proof"),
    path("leave/notices/export/", expiry_views.leave_expiry_notice_export, name="leave_expiry_notice_export"),
    path("team/calendar/", views.team_calendar, name="team_calendar"),
    path("team/calendar/subscriptions/", views.calendar_feed_create, name="calendar_feed_create"),
    path("team/calendar/subscriptions/<int:pk>/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    # Calendar apps fetch this without logging in or choosing a language: the token is the key.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", views.calendar_feed, name="calendar_feed"),
]
