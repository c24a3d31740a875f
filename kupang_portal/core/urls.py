from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("bahasa/", views.switch_language, name="language"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:number>/", views.track, name="track_number"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
