from django.urls import path

from . import skm_views

app_name = "skm"

urlpatterns = [path("<str:token>/", skm_views.survey, name="survey")]
