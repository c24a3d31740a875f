from django.contrib import admin

from kupang_portal.core.admin_lookups import DeclaredLookupsOnly

from .models import Holiday, Kecamatan, Kelurahan, Office


@admin.register(Office)
class OfficeAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["code", "short_name", "name", "is_active", "unconfirmed"]
    list_filter = ["is_active", "unconfirmed"]
    search_fields = ["code", "name", "short_name"]


class KelurahanInline(admin.TabularInline):
    model = Kelurahan
    extra = 0


@admin.register(Kecamatan)
class KecamatanAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["code", "name", "nik_prefix"]
    inlines = [KelurahanInline]


@admin.register(Kelurahan)
class KelurahanAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["code", "name", "kecamatan"]
    list_filter = ["kecamatan"]
    search_fields = ["code", "name"]
    list_select_related = ["kecamatan"]


@admin.register(Holiday)
class HolidayAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
