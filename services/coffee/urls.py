from django.urls import path

from services.coffee import views

app_name = "coffee"

urlpatterns = [
    path("", views.kitchen, name="kitchen"),
    path("join/", views.join, name="join"),
    path("leave/", views.leave, name="leave"),
]
