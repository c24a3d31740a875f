from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Layanan Publik Kota Kupang – Ruang Kerja Petugas")
admin.site.site_title = _("Petugas Kota Kupang")
admin.site.index_title = _("Antrean dan konfigurasi")
admin.site.index_template = "admin/workflow/index.html"
# The queue needs the width of a 1366 px laptop; staff move around through "Antrean saya" and the breadcrumbs.
admin.site.enable_nav_sidebar = False  # "Antrean saya" with counts above the app list

urlpatterns = [
    path("", include("kupang_portal.core.urls")),
    path("akun/notifikasi/", include("kupang_portal.notifications.urls")),
    path("akun/", include("kupang_portal.accounts.urls")),
    path("layanan/", include("layanan.urls")),
    path("pengaduan/", include("pengaduan.urls")),
    path("antrean/", include("antrean.urls")),
    path("survei/", include("layanan.skm.urls")),
    path("transparansi/", include("kupang_portal.transparency.urls")),
    path("dasbor/", include("kupang_portal.dashboards.urls")),
    path("api/open311/v2/", include("pengaduan.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
