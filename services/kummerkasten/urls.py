from django.urls import path

from services.kummerkasten import views

app_name = "kummerkasten"

urlpatterns = [
    path("", views.kummerkasten, name="start"),
    path("handling/", views.handling_list, name="handling_list"),
    path("handling/<uuid:pk>/", views.handling_detail, name="handling_detail"),
    path("handling/<uuid:pk>/answer/", views.handling_answer, name="handling_answer"),
    path("handling/<uuid:pk>/close/", views.handling_close, name="handling_close"),
    path("handling/<uuid:pk>/attachments/<uuid:post>/", views.handling_attachment, name="handling_attachment"),
]
