from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kupang_portal.notifications"
    label = "notifications"
    verbose_name = _("Notifikasi")

    def ready(self):
        from . import catalog  # noqa: F401  registers every event
