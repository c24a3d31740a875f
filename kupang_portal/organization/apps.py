from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "kupang_portal.organization"
    label = "organization"
    verbose_name = _("Organisasi dan wilayah")

    def ready(self):
        from .calendar import clear_holiday_cache
        from .models import Holiday

        post_save.connect(clear_holiday_cache, sender=Holiday, dispatch_uid="holiday-cache-save")
        post_delete.connect(clear_holiday_cache, sender=Holiday, dispatch_uid="holiday-cache-delete")
