"""The outbox in the admin: read-only rows, filters, search, and "Kirim ulang" for failed ones."""

from django.contrib import admin, messages
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kupang_portal.accounts.phone import mask_phone
from kupang_portal.core.admin_lookups import DeclaredLookupsOnly

from . import services
from .models import Channel, Notification


class EventFilter(admin.SimpleListFilter):
    title = _("peristiwa")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        from . import events

        return [(code, code) for code in sorted(events.REGISTRY)]

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


def hidden_recipient_condition():
    """True for rows whose recipient must stay unknown here: a case type may declare
    ``hidden_recipient_condition()`` (e.g. the reporter of a confidential complaint)."""
    from kupang_portal.workflow.registry import case_types

    condition = None
    for model, _open_states in case_types():
        declared = getattr(model, "hidden_recipient_condition", None)
        if declared is not None:
            condition = declared() if condition is None else condition | declared()
    return condition


HIDDEN = _("Dirahasiakan")


@admin.register(Notification)
class NotificationAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "recipient_display", "masked_address", "case_number", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", EventFilter)
    search_fields = ("case_number", "address")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    actions = ["resend_failed"]
    fields = (
        "recipient_display", "channel", "address_display", "event", "case_number", "subject", "body_display", "link",
        "status", "attempts", "last_error", "next_attempt_at", "created_at", "sent_at", "read_at", "dedupe_key",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        condition = hidden_recipient_condition()
        if condition is None:
            return qs.annotate(identity_hidden=models.Value(False))
        return qs.annotate(identity_hidden=models.Case(models.When(condition, then=True), default=False,
                                                       output_field=models.BooleanField()))

    def get_search_results(self, request, queryset, search_term):
        """Case number, or an address, but never an address that leads to a hidden reporter."""
        term = (search_term or "").strip()
        if not term:
            return queryset, False
        return queryset.filter(models.Q(case_number__icontains=term)
                               | models.Q(address__icontains=term, identity_hidden=False)), False

    @admin.display(description=_("penerima"))
    def recipient_display(self, obj):
        return HIDDEN if obj.identity_hidden else (obj.recipient or "–")

    @admin.display(description=_("alamat tujuan"))
    def address_display(self, obj):
        return HIDDEN if obj.identity_hidden else obj.address

    @admin.display(description=_("isi"))
    def body_display(self, obj):
        return HIDDEN if obj.identity_hidden else obj.body

    @admin.display(description=_("alamat tujuan"))
    def masked_address(self, obj):
        if obj.identity_hidden:
            return HIDDEN
        if obj.channel in (Channel.SMS, Channel.WHATSAPP):
            return mask_phone(obj.address)
        return obj.address

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Kirim ulang"), permissions=["change"])
    def resend_failed(self, request, queryset):
        failed = list(queryset.filter(status=Notification.Status.FAILED))
        with transaction.atomic():
            count = sum(1 for row in failed if services.resend(row))
        skipped = queryset.count() - count
        if count:
            self.message_user(request, ngettext(
                "%(count)d notifikasi dijadwalkan untuk dikirim ulang.",
                "%(count)d notifikasi dijadwalkan untuk dikirim ulang.", count) % {"count": count}, messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(count)d notifikasi dilewati karena tidak berstatus gagal.",
                "%(count)d notifikasi dilewati karena tidak berstatus gagal.", skipped) % {"count": skipped}, messages.WARNING)
