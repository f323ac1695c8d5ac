from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from portal import views
from services import audit_views, calendar_views, notification_views
from services import views as services_views

urlpatterns = [
    # Everyone logs in through allauth (MFA, rate limits); Wagtail's own login form would bypass both.
    # WAGTAILADMIN_LOGIN_URL only moves the redirect for anonymous visitors, so the form's URL is taken over here.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # Calendar apps fetch this without logging in or choosing a language: the token is the key.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", calendar_views.calendar_feed, name="calendar_feed"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("requests/", include("services.urls")),
    path("queue/", services_views.queue, name="queue"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_mark_read, name="notifications_read"),
    path("audit/", audit_views.audit_form, name="audit"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("delegations/", include("services.delegation_urls")),
    path("team/calendar/", calendar_views.team_calendar, name="team_calendar"),
    path("team/calendar/subscriptions/", calendar_views.calendar_feed_create, name="calendar_feed_create"),
    path("team/calendar/subscriptions/<int:pk>/revoke/", calendar_views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("search/", home_views.search, name="search"),
    # Wagtail's page tree comes last: it answers every path nothing above claimed.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
