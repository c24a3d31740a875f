"""The admin queue filter behind each exception list of ``/dasbor/`` (``?pengecualian=<name>``).

It applies the very queryset the dashboard counts (``selectors.exception_queryset``); the admin
has already scoped the queue to the staff member's offices.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import selectors

LABELS = {
    "lewat_tenggat": _("Lewat tenggat"),
    "jatuh_tempo": _("Jatuh tempo ≤ 1 hari kerja"),
    "lewat_3x": _("Lebih dari 3× waktu standar"),
    "meja_verifikasi": _("Menunggu meja verifikasi > 3 hari kerja"),
    "dibuka_kembali": _("Dibuka kembali"),
    "belum_ditugaskan": _("Belum ditugaskan"),
    "terlama": _("10 kasus terbuka terlama"),
}


class DashboardExceptionFilter(admin.SimpleListFilter):
    title = _("perlu tindakan (dasbor)")
    parameter_name = "pengecualian"

    def lookups(self, request, model_admin):
        return list(LABELS.items())

    def queryset(self, request, queryset):
        name = self.value()
        if name not in LABELS:
            return queryset
        if name == "terlama":
            oldest = queryset.filter(is_open=True).order_by("submitted_at", "pk").values_list("pk", flat=True)[:10]
            return queryset.filter(pk__in=list(oldest))
        wanted = selectors.exception_queryset(queryset.model, name)
        return queryset.filter(pk__in=wanted.values("pk"))
