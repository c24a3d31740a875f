from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kupang_portal.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self):
        from . import backends  # noqa: F401  connects the "known login address" receiver
        from .roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="accounts-sync-roles")
