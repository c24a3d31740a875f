from django.urls import path

from . import views

app_name = "antrean"

urlpatterns = [
    path("", views.quota, name="quota"),
    path("pesan/<int:schedule_id>/", views.book, name="book"),
    path("saya/", views.my_bookings, name="my_bookings"),
    path("tiket/<str:code>/", views.ticket, name="ticket"),
    path("tiket/<str:code>/pdf/", views.ticket_pdf, name="ticket_pdf"),
    path("tiket/<str:code>/batal/", views.cancel, name="cancel"),
    path("tiket/<str:code>/ubah/", views.reschedule, name="reschedule"),
    path("loket/", views.counter, name="counter"),
    path("loket/bantu/", views.assisted, name="assisted"),
    path("loket/angka/", views.figures, name="figures"),
    path("loket/<str:code>/<str:action>/", views.counter_action, name="counter_action"),
]
