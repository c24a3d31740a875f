"""Admin of the SKM answers: read-only, WITHOUT the applicant.

Office heads see the answers of their own office, city-wide readers (pimpinan, admin) all of them.
No column, filter, search or form field leads back to a person: no application or complaint, no
token, no exact time (only the month), no profile or visit date (reported in aggregate only).
Clerks have no access. Reports and RTL are managed on /survei/hasil/.
"""

from django.contrib import admin
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kupang_portal.accounts.roles import Role
from kupang_portal.core.admin_lookups import DeclaredLookupsOnly
from kupang_portal.workflow.admin import CappedCountPaginator

from .constants import UNSUR_CODES
from .models import SurveyResponse


class MonthFilter(admin.SimpleListFilter):
    title = _("tahun")
    parameter_name = "tahun"

    def lookups(self, request, model_admin):
        """Every year from the first answer to the last: two reads of the submitted_at index (a
        DISTINCT over the years read every answer, ~110 ms at half a million answers)."""
        span = SurveyResponse.objects.filter(submitted_at__isnull=False).aggregate(
            first=Min("submitted_at"), last=Max("submitted_at"))
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        return [(str(year), str(year)) for year in range(first, last + 1)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(submitted_at__year=self.value())
        return queryset


@admin.register(SurveyResponse)
class SurveyResponseAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    # Only the declared filters: ?application__applicant__id__exact= would lead back to a person.
    list_display = ["office", "service_or_complaint", "month", "answers_display", "suggestion_display"]
    list_filter = ["office", MonthFilter]
    fields = ["office", "service_or_complaint", "month", "answers_display", "suggestion_display"]
    readonly_fields = fields
    list_per_page = 50
    paginator = CappedCountPaginator  # half a million answers: count at most a page cap
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request).filter(submitted_at__isnull=False).select_related("office", "service")
        qs = qs.defer("token", "application", "complaint", "age_group", "sex", "education", "occupation", "visit_date")
        user = request.user
        if user.is_city_wide:
            return qs.order_by("-submitted_at")
        return qs.filter(office__in=user.office_ids([Role.OFFICE_HEAD])).order_by("-submitted_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


    @admin.display(description=_("layanan"))
    def service_or_complaint(self, obj):
        return obj.service.name if obj.service_id else _("Penanganan pengaduan")

    @admin.display(description=_("bulan pengisian"))
    def month(self, obj):
        return formats.date_format(timezone.localtime(obj.submitted_at), "F Y")

    @admin.display(description=_("jawaban (U1–U9)"))
    def answers_display(self, obj):
        return " ".join(f"{code}:{obj.answers.get(code, '–')}" for code in UNSUR_CODES)

    @admin.display(description=_("saran"))
    def suggestion_display(self, obj):
        if obj.suggestion_hidden:
            return _("[disembunyikan: %(reason)s]") % {"reason": obj.suggestion_hidden_reason}
        return obj.suggestion or "–"
