"""Staff workspace for complaints: the desk's verification queue, office queues, configuration.

Every state change is a workflow transition (panel on the change page, see CaseAdmin). The
reporter's identity is never a column, filter or search field; the change page shows the name
only for named complaints, and for confidential ones only to the handling office.
"""

import secrets

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.admin_lookups import DeclaredLookupsOnly
from kupang_portal.workflow.admin import CaseAdmin, ReadOnlyInlineMixin, status_label

from . import selectors, services
from .models import ApiKey, Category, Complaint, ComplaintPhoto, ResponseTemplate, RoutingRule, Status


class PhotoInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ComplaintPhoto
    fields = ["preview", "content_type", "size", "created_at"]
    readonly_fields = fields
    verbose_name_plural = _("foto (tanpa metadata lokasi)")

    @admin.display(description=_("pratinjau"))
    def preview(self, obj):
        url = reverse("pengaduan:staff_photo", args=[obj.pk])
        # The link's only content is the image: its alt text names the link (axe: link-name).
        return format_html('<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" class="complaint-admin-thumb"></a>',
                           url, url, _("Buka foto ukuran penuh"))


@admin.register(Complaint)
class ComplaintAdmin(CaseAdmin):
    change_form_template = "admin/pengaduan/complaint_change_form.html"
    inlines = [PhotoInline, *CaseAdmin.inlines]
    list_display = ["number", "sla_badge", "deadline_display", "status_label", "category", "kind", "routed_office_display", "privacy_display"]
    list_filter = [*CaseAdmin.list_filter, "category", "kind", "is_confidential", "kelurahan__kecamatan"]
    search_fields = ["number", "title"]
    case_list_select_related = ["office", "assignee", "category", "proposed_office"]
    actions = [*CaseAdmin.actions, "dispose_as_proposed"]
    fields = ["number", "kind", "privacy_display", "category", "title", "description", "kelurahan", "address", "coordinates",
              "incident_date", "channel", "proposed_office", "office", "deadline", "created_at", "responses_display"]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin_cases.css", "css/pengaduan.css"]}

    def scope_queryset(self, queryset, user):
        return selectors.staff_queryset(queryset, user)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return status_label(Status, obj.status)

    @admin.display(description=_("OPD (usulan)"))
    def routed_office_display(self, obj):
        if obj.status == Status.SUBMITTED and obj.proposed_office_id:
            return format_html("{} <span class=\"help\">({})</span>", obj.proposed_office, _("usulan"))
        return obj.office or "–"

    @admin.display(description=_("identitas"))
    def privacy_display(self, obj):
        parts = [str(_("Anonim")) if obj.is_anonymous else str(_("Bernama"))]
        if obj.is_confidential:
            parts.append(str(_("rahasia")))
        return ", ".join(parts)

    @admin.display(description=_("koordinat"))
    def coordinates(self, obj):
        return f"{obj.latitude}, {obj.longitude}" if obj.latitude is not None else "–"

    @admin.display(description=_("tanggapan"))
    def responses_display(self, obj):
        rows = [(r.created_at.strftime("%d-%m-%Y"), r.office, r.text, f" · {r.rating}/5" if r.rating else "") for r in obj.responses.all()]
        if not rows:
            return "–"
        return format_html_join("", "<p><strong>{} · {}</strong><br>{}{}</p>", rows)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            if obj.is_anonymous:
                reporter = _("Anonim: identitas pelapor tidak dicatat.")
            elif selectors.may_see_reporter(request.user, obj):
                reporter = obj.reporter.display_name
            else:
                reporter = _("Dirahasiakan: hanya terlihat oleh OPD yang menangani.")
            context["reporter_display"] = reporter
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Verifikasi dan teruskan ke OPD usulan rute"))
    def dispose_as_proposed(self, request, queryset):
        self.run_on_each(
            request, queryset.filter(status=Status.SUBMITTED), lambda complaint: services.dispose(complaint, request.user),
            _("%(n)s pengaduan diteruskan."),
            _("%(n)s pengaduan tidak dapat diteruskan (bukan wewenang Anda atau sudah berubah)."),
        )


@admin.register(Category)
class CategoryAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["name", "service_code", "follow_up_days", "group", "is_active", "order"]
    list_editable = ["follow_up_days", "is_active", "order"]
    search_fields = ["name", "service_code"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["category", "kecamatan", "office", "is_active"]
    list_filter = ["category", "kecamatan", "office", "is_active"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["title", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["title", "text"]


@admin.register(ApiKey)
class ApiKeyAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["name", "key_prefix", "is_active", "created_at", "last_used_at"]
    fields = ["name", "is_active", "key_prefix", "created_at", "last_used_at"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if not obj.key_hash:
            raw = secrets.token_urlsafe(24)
            obj.set_key(raw)
            self.message_user(request, _("Kunci API baru: %(key)s: salin sekarang, kunci tidak ditampilkan lagi.") % {"key": raw},
                              messages.WARNING)
        super().save_model(request, obj, form, change)
