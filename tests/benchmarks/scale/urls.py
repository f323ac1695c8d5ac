"""The portal's addresses, plus Django's admin with a stock changelist of the requests table (the peer)."""

from django.contrib import admin
from django.urls import path

from portal.urls import handler403, handler404
from portal.urls import urlpatterns as portal_urlpatterns
from services.models import ServiceRequest


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ("reference", "kind", "status", "applicant", "unit", "submitted_at")
    list_select_related = ("applicant", "unit")


urlpatterns = [path("django-admin/", admin.site.urls), *portal_urlpatterns]
__all__ = ["handler403", "handler404", "urlpatterns"]
