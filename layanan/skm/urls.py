from django.urls import path

from . import views

app_name = "skm"

urlpatterns = [
    path("hasil/", views.results, name="results"),
    path("hasil/<slug:office_code>/<str:period_key>/", views.report, name="report"),
    path("hasil/<slug:office_code>/<str:period_key>/pdf/", views.report_pdf, name="report_pdf"),
    path("hasil/<slug:office_code>/<str:period_key>/terbitkan/", views.publish, name="publish"),
    path("hasil/<slug:office_code>/<str:period_key>/rtl/", views.follow_up, name="follow_up_add"),
    path("hasil/<slug:office_code>/<str:period_key>/rtl/<int:action_id>/", views.follow_up, name="follow_up_edit"),
    path("hasil/<slug:office_code>/<str:period_key>/saran/<int:response_id>/sembunyikan/", views.hide_suggestion,
         name="hide_suggestion"),
    path("<str:token>/", views.survey, name="survey"),
]
