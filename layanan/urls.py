from django.urls import path

from . import views

app_name = "layanan"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("permohonan/", views.my_applications, name="my_applications"),
    path("permohonan/<str:number>/", views.application_detail, name="application_detail"),
    path("permohonan/<str:number>/perbaikan/", views.application_revise, name="application_revise"),
    path("permohonan/<str:number>/batalkan/", views.application_withdraw, name="application_withdraw"),
    path("permohonan/<str:number>/bukti.pdf", views.receipt, name="receipt"),
    path("permohonan/<str:number>/berkas/<int:document_id>/", views.document_download, name="document_download"),
    path("<slug:slug>/", views.service_detail, name="service_detail"),
    path("<slug:slug>/ajukan/", views.apply, name="apply"),
    path("<slug:slug>/ajukan/berkas/<int:document_id>/", views.draft_document_download, name="draft_document_download"),
]
