from django.contrib import admin

from kupang_portal.workflow.admin import CaseAdmin

from .models import Ticket


@admin.register(Ticket)
class TicketAdmin(CaseAdmin):
    list_display = ["number", "status", "office", "sla_badge", "deadline_display"]
    search_fields = ["number"]
    fields = ["number", "status", "office", "deadline"]
