"""The person's own security page and data download, below /account/ (allauth's pages live below /accounts/)."""

from django.urls import path

from services.privacy import views

urlpatterns = [
    path("security/", views.account_security, name="account_security"),
    path("security/my-data.json", views.account_data_export, name="account_data_export"),
]
