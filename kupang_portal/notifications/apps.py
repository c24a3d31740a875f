from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kupang_portal.notifications"
    label = "notifications"
    verbose_name = _("Notifikasi")

    @property
    def role_permissions(self):
        from kupang_portal.accounts.roles import Role

        # City IT looks after the outbox: inspect rows and resend failed ones.
        return {Role.ADMIN: ["notifications.view_notification", "notifications.change_notification"]}

    def ready(self):
        from . import (
            catalog,  # noqa: F401  registers every event
            unread,
        )

        unread.connect()
