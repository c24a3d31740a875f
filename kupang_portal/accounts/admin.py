"""Admin for users and office memberships; the admin login takes username, e-mail or phone."""

import contextlib

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.admin_lookups import DeclaredLookupsOnly

from .forms import AdminLoginForm, UserAdminChangeForm, UserAdminCreationForm
from .models import OfficeMembership, User
from .phone import looks_like_phone, mask_phone, normalize_phone

admin.site.login_form = AdminLoginForm


def _own_account(request, user_id):
    """A user administrator (not a superuser) looking at their own account or membership."""
    return user_id is not None and user_id == request.user.pk and not request.user.is_superuser


class OfficeMembershipInline(admin.TabularInline):
    model = OfficeMembership
    extra = 0
    fields = ["office", "role", "is_active"]
    autocomplete_fields = ["office"]

    # Nobody gives themselves an office (and with it its cases): the own account's rows are read-only.
    def has_add_permission(self, request, obj=None):
        return not _own_account(request, getattr(obj, "pk", None)) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _own_account(request, getattr(obj, "pk", None)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _own_account(request, getattr(obj, "pk", None)) and super().has_delete_permission(request, obj)


@admin.register(User)
class UserAdmin(DeclaredLookupsOnly, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data diri dan kontak"), {"fields": ("first_name", "last_name", "email", "phone", "nik")}),
        (_("Preferensi"), {"fields": ("preferred_language", "notify_email", "notify_sms", "notify_whatsapp")}),
        (_("Hak akses"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "phone", "usable_password", "password1", "password2"),
            },
        ),
    )
    # The list masks NIK and phone (search still finds both; the change form shows them in full).
    list_display = ("username", "display_name", "email", "phone_masked", "nik_masked", "is_staff", "is_active")
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "phone", "nik")
    ordering = ("username",)
    inlines = [OfficeMembershipInline]

    @admin.display(description=_("nama"), ordering="first_name")
    def display_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("NIK"), ordering="nik")
    def nik_masked(self, obj):
        return obj.masked_nik or "–"

    @admin.display(description=_("nomor HP"), ordering="phone")
    def phone_masked(self, obj):
        return mask_phone(obj.phone) or "–"

    def get_search_results(self, request, queryset, search_term):
        """A phone number typed in any form (0812-3456-7890) also finds the E.164 value."""
        filtered = queryset
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = (search_term or "").strip()
        if looks_like_phone(term):
            with contextlib.suppress(ValidationError):  # not a valid number: the plain search stands
                queryset |= filtered.filter(phone=normalize_phone(term))
        return queryset, may_have_duplicates

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # A user administrator manages roles (groups), not superuser status or raw permissions,
            # so nobody can grant themselves more than they have; nor roles on their own account.
            readonly += ["is_superuser", "user_permissions"]
            if obj is not None and _own_account(request, obj.pk):
                readonly += ["groups", "is_staff", "is_active"]
        return readonly

    def has_change_permission(self, request, obj=None):
        # A user administrator (Admin role) cannot take over a superuser's account: its password,
        # e-mail, phone or active flag. The account page stays readable.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["user", "office", "role", "is_active"]
    list_filter = ["role", "is_active", "office"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email", "office__name", "office__code"]
    autocomplete_fields = ["user", "office"]
    list_select_related = ["user", "office"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None and not request.user.is_superuser:
            field.queryset = field.queryset.exclude(pk=request.user.pk)  # no office for oneself
        return field

    def has_change_permission(self, request, obj=None):
        return not _own_account(request, getattr(obj, "user_id", None)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _own_account(request, getattr(obj, "user_id", None)) and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        """Office heads see the memberships of their own offices; city-wide roles see all."""
        qs = super().get_queryset(request)
        if request.user.is_city_wide:
            return qs
        return qs.filter(office_id__in=request.user.office_ids())


# Django's own Group admin, with the same rule as every other changelist: declared filters only.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DeclaredLookupsOnly, DjangoGroupAdmin):
    pass
