from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("kinerja/", views.performance, name="performance"),
    path("staf/", views.staff, name="staff"),
    path("cara-menghitung/", views.definitions, name="definitions"),
    path("ekspor/", views.export_start, name="export_start"),
    path("ekspor/<int:pk>/", views.export_status, name="export_status"),
    path("ekspor/<int:pk>/unduh/", views.export_download, name="export_download"),
]
