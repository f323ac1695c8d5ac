from django.urls import path

from services.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("rounds/<int:round_id>/", views.survey_answer, name="answer"),
    path("<int:survey_id>/results/", views.survey_results, name="results"),
    path("free-texts/", views.free_text_list, name="free_texts"),
    path("free-texts/<uuid:answer_id>/", views.free_text_redact, name="free_text_redact"),
]
