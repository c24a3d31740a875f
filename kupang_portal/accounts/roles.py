"""Roles are Django groups; each app contributes the permissions its roles need.

An app's AppConfig may define ``role_permissions = {Role.CLERK: ["app_label.codename", ...]}``;
``sync_roles`` (run after every migrate) creates the groups and grants exactly those permissions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "warga", _("Warga")
    CLERK = "petugas", _("Petugas")
    VERIFIER = "verifikator", _("Verifikator")
    OFFICE_HEAD = "kepala_opd", _("Kepala OPD")
    SUPERVISOR = "pimpinan", _("Pimpinan")
    ADMIN = "admin", _("Admin")


GROUP_NAMES = {
    Role.RESIDENT: "Warga",
    Role.CLERK: "Petugas",
    Role.VERIFIER: "Verifikator",
    Role.OFFICE_HEAD: "Kepala OPD",
    Role.SUPERVISOR: "Pimpinan",
    Role.ADMIN: "Admin",
}

# Roles whose holders work in the Django admin (is_staff).
STAFF_ROLES = {Role.CLERK, Role.VERIFIER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.ADMIN}
# Roles tied to an office through OfficeMembership.
OFFICE_ROLES = {Role.CLERK, Role.VERIFIER, Role.OFFICE_HEAD}

BASE_ROLE_PERMISSIONS = {
    Role.ADMIN: [
        "organization.add_office", "organization.change_office", "organization.view_office",
        "organization.add_holiday", "organization.change_holiday", "organization.delete_holiday",
        "organization.view_holiday", "organization.view_kecamatan", "organization.view_kelurahan",
        "organization.change_kecamatan", "organization.change_kelurahan",
        "accounts.view_user", "accounts.change_user", "accounts.add_user",
        "accounts.view_officemembership", "accounts.add_officemembership",
        "accounts.change_officemembership", "accounts.delete_officemembership",
    ],
    Role.OFFICE_HEAD: ["accounts.view_officemembership"],
    Role.SUPERVISOR: ["organization.view_office", "organization.view_holiday"],
}


def collected_role_permissions():
    from django.apps import apps

    merged = {role: list(perms) for role, perms in BASE_ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            merged.setdefault(role, []).extend(perms)
    return merged


def sync_roles(**kwargs):
    """Create one group per role and set its permissions to exactly the declared ones."""
    from django.contrib.auth.models import Group, Permission

    declared = collected_role_permissions()
    for role in Role:
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        wanted = []
        for dotted in declared.get(role, []):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


def admin_users():
    """Active city IT admins (superusers and the Admin role): who hears about system problems."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=GROUP_NAMES[Role.ADMIN]), is_active=True).distinct()


def group_name(role):
    return GROUP_NAMES[Role(role)]
