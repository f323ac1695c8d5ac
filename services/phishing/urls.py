from django.urls import path

from services.phishing import views

app_name = "phishing"

urlpatterns = [
    path("", views.my_reports, name="my_reports"),
    path("report/", views.report_view, name="report"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
]
