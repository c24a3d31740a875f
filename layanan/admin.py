"""Admin: the service catalogue (editable by city IT) and the clerks' application queue."""

from django.contrib import admin
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.admin_lookups import DeclaredLookupsOnly
from kupang_portal.workflow import access
from kupang_portal.workflow.admin import CaseAdmin, ReadOnlyInlineMixin, status_label

from . import services
from .constants import ApplicationStatus
from .models import Application, ApplicationDocument, Requirement, Service, ServiceStep
from .skm import admin as skm_admin  # noqa: F401  (registers the SKM answers admin)


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["order", "name", "is_required", "allowed_types", "notes", "unconfirmed"]


class ServiceStepInline(admin.TabularInline):
    model = ServiceStep
    extra = 0
    fields = ["order", "office", "label"]


@admin.register(Service)
class ServiceAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["name", "number_prefix", "category", "office", "completion_days", "fee_display", "unconfirmed", "is_published"]
    list_filter = ["category", "office", "is_published", "unconfirmed"]
    search_fields = ["name", "code", "number_prefix"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RequirementInline, ServiceStepInline]
    fieldsets = [
        (None, {"fields": ["name", "code", "slug", "category", "office", "number_prefix", "is_published", "is_popular", "sort_order"]}),
        (_("Standar pelayanan"), {"fields": ["description", "eligibility", "procedure", "completion_days", "completion_text",
                                              "product", "legal_basis", "complaint_channel", "unconfirmed"]}),
        (_("Biaya"), {"fields": ["fee_amount", "fee_text", "fee_basis"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # applications refer to services; unpublish instead

    @admin.display(description=_("Biaya"))
    def fee_display(self, obj):
        if obj.fee_amount == 0:
            return _("Gratis")
        return obj.fee_text or (f"Rp{obj.fee_amount:,}".replace(",", ".") if obj.fee_amount else "-")


class DocumentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ApplicationDocument
    fields = ["label_display", "kind", "download", "content_type", "size", "is_current", "uploaded_at"]
    readonly_fields = fields
    verbose_name = _("berkas")
    verbose_name_plural = _("berkas (hanya baca)")

    def has_view_permission(self, request, obj=None):
        # Whoever may see the case sees its files (the case itself is scoped to the office).
        return request.user.has_perm("layanan.view_application")

    @admin.display(description=_("persyaratan"))
    def label_display(self, obj):
        return obj.label

    @admin.display(description=_("unduh"))
    def download(self, obj):
        url = reverse("admin:layanan_application_document", args=[obj.application_id, obj.pk])
        return format_html('<a href="{}" data-testid="staff-doc-{}">{}</a>', url, obj.pk, obj.original_name)


@admin.register(Application)
class ApplicationAdmin(CaseAdmin):
    list_display = ["number", "sla_badge", "deadline_display", "status_display", "service", "applicant_display", "step_display",
                    "assignee_display"]
    list_display_links = ["number"]
    hidden_states = [ApplicationStatus.DRAFT]  # drafts never reach the queue
    list_filter = CaseAdmin.list_filter + ["service", "service__category"]
    search_fields = ["number", "applicant_name", "=applicant_nik"]
    case_list_select_related = ["office", "assignee", "service"]
    inlines = [DocumentInline, *CaseAdmin.inlines]
    fields = ["number", "service", "status_display", "office", "step_display", "assignee_display", "applicant_name", "masked_nik",
              "phone", "notes", "revision_reason", "rejection_reason", "submitted_at", "deadline_display", "completed_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Drafts are the resident's own business until submitted.
        steps = Prefetch("service__steps", queryset=ServiceStep.objects.select_related("office"), to_attr="prefetched_steps")
        return super().get_queryset(request).exclude(status=ApplicationStatus.DRAFT).prefetch_related(steps)

    def get_search_results(self, request, queryset, search_term):
        # Search by NIK needs the digits only ("5371 01..." or with dots).
        term = search_term.strip()
        compact = term.replace(" ", "").replace(".", "")
        if compact.isdigit() and len(compact) == 16:
            term = compact
        return super().get_search_results(request, queryset, term)

    def moved_to(self, request, case):
        case.refresh_from_db()
        if case.routing_pending:  # "Teruskan ke OPD berikutnya": a routing task hands it over after the commit
            step = services.next_step(case)
            return step.office if step else case.office
        return super().moved_to(request, case)

    @admin.display(description=_("Pemohon"), ordering="applicant_name")
    def applicant_display(self, obj):
        return f"{obj.applicant_name} ({obj.masked_nik})" if obj.masked_nik else obj.applicant_name

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj):
        return obj.masked_nik

    @admin.display(description=_("Status"), ordering="status")
    def status_display(self, obj):
        return status_label(ApplicationStatus, obj.status)

    @admin.display(description=_("Tahap"))
    def step_display(self, obj):
        step = services.current_step(obj)
        return f"{step.order}. {step.label} ({step.office})" if step else "–"

    def get_urls(self):
        extra = [
            path("<path:object_id>/berkas/<int:document_id>/", self.admin_site.admin_view(self.document_view),
                 name="layanan_application_document"),
        ]
        return extra + super().get_urls()

    def document_view(self, request, object_id, document_id):
        """A file of a case the staff member may see (office scope); anything else is 404."""
        case = self._case_or_404(request, object_id)
        doc = case.documents.filter(pk=document_id).first()
        if doc is None:
            raise Http404
        try:
            handle = doc.file.open("rb")
        except OSError:
            raise Http404 from None
        access.record(request, case, access.CaseAccess.Action.DOCUMENT)
        ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(doc.content_type, "bin")
        return FileResponse(handle, as_attachment=True, filename=f"{case.number}-{doc.pk}.{ext}", content_type=doc.content_type)
