from django.urls import path

from . import views

app_name = "transparansi"

urlpatterns = [
    path("", views.page, name="page"),
    path("kolom/", views.columns, name="columns"),
    path("data.csv", views.export_csv, name="csv"),
    path("data.json", views.export_json, name="json"),
]
