from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "kupang_portal.dashboards"
    label = "dashboards"
    verbose_name = _("Dasbor pimpinan")

    def ready(self):
        from . import versions

        versions.connect()
