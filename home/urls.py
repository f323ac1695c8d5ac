from django.urls import path

from home import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("phishing/cases/<int:pk>/warning/", views.phishing_warning, name="phishing_warning"),
    path("kummerkasten/handling/<uuid:pk>/publish/", views.kummerkasten_faq_publish, name="kummerkasten_faq_publish"),
]
