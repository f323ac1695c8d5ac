from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import views

urlpatterns = [
    # Everyone logs in through allauth (MFA, rate limits); Wagtail's own login form would bypass both.
    # WAGTAILADMIN_LOGIN_URL only moves the redirect for anonymous visitors, so the form's URL is taken over here.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    # E-mail addresses come from the HR import: allauth's page for adding and changing them is replaced.
    path("accounts/email/", views.account_email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    # Requests, queue, delegations, team calendar, notifications, audit: every page of the request domain.
    path("", include("services.urls")),
    path("", include("home.urls")),
    # Wagtail's page tree comes last: it answers every path nothing above claimed.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

# Django's bare English error pages would otherwise answer: these speak the reader's language in the portal's design.
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler429 = "portal.views.too_many_requests"
handler500 = "portal.views.server_error"
