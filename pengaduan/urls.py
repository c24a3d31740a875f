from django.urls import path, re_path

from . import views

app_name = "pengaduan"

NUMBER = r"(?P<number>[A-Za-z]{2,10}-\d{4}-\d{4,10})"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("baru/", views.new, name="new"),
    re_path(rf"^lacak/{NUMBER}/$", views.anonymous, name="anonymous"),
    path("foto/<int:pk>/", views.photo, name="photo"),
    path("staf/foto/<int:pk>/", views.staff_photo, name="staff_photo"),
    re_path(rf"^{NUMBER}/$", views.detail, name="detail"),
]
