from django.urls import path

from services.delegation import views as delegation_views

app_name = "delegations"

urlpatterns = [
    path("", delegation_views.delegation_list, name="list"),
    path("new/", delegation_views.delegation_create_view, name="create"),
    path("substitute/", delegation_views.substitute_view, name="substitute"),
    path("<int:pk>/revoke/", delegation_views.delegation_revoke_view, name="revoke"),
]
