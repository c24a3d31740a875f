from django.urls import path, re_path

from . import views

app_name = "pengaduan"

NUMBER = r"(?P<number>[A-Za-z]{2,10}-\d{4}-\d{4,10})"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("baru/", views.new, name="new"),
    re_path(rf"^lacak/{NUMBER}/$", views.anonymous, name="anonymous"),
    re_path(rf"^terkirim/{NUMBER}/$", views.submitted, name="submitted"),
    re_path(rf"^terkirim/{NUMBER}/bukti\.pdf$", views.submitted_pdf, name="submitted_pdf"),
    path("foto/<int:pk>/", views.photo, name="photo"),
    path("staf/foto/<int:pk>/", views.staff_photo, name="staff_photo"),
    re_path(rf"^{NUMBER}/$", views.detail, name="detail"),
]
