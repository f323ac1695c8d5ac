"""The addresses of decision documents: the download below each request, and /verify/."""

from django.urls import path

from services.documents import views

request_urlpatterns = [
    path("<str:reference>/documents/<int:document_id>/", views.document_download, name="document_download"),
]

urlpatterns = [
    path("verify/", views.verify, name="verify"),
]
