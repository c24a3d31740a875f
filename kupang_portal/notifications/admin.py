"""The outbox in the admin: read-only rows, filters, search, and "Kirim ulang" for failed ones."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kupang_portal.accounts.phone import mask_phone

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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "recipient", "masked_address", "case_number", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", EventFilter)
    search_fields = ("case_number", "address")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    actions = ["resend_failed"]
    fields = (
        "recipient", "channel", "address", "event", "case_number", "subject", "body", "link",
        "status", "attempts", "last_error", "next_attempt_at", "created_at", "sent_at", "read_at", "dedupe_key",
    )
    readonly_fields = fields

    @admin.display(description=_("alamat tujuan"), ordering="address")
    def masked_address(self, obj):
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
