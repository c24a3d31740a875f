from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from kupang_portal.accounts.roles import Role

_SETUP = ["antrean.view_counterschedule", "antrean.view_counterwindow", "antrean.view_visitrequirement",
          "antrean.view_closedday", "antrean.view_slot"]
_DESK = ["antrean.view_booking", "antrean.view_bookingrestriction", "antrean.change_bookingrestriction"]


class AntreanConfig(AppConfig):
    name = "antrean"
    verbose_name = _("Antrean loket (janji temu)")

    # Synced into the role groups after every migrate (kupang_portal.accounts.roles.sync_roles).
    role_permissions = {
        Role.CLERK: _SETUP + _DESK,
        Role.OFFICE_HEAD: _SETUP + _DESK + ["antrean.add_closedday", "antrean.change_counterschedule",
                                            "antrean.add_counterwindow", "antrean.change_counterwindow",
                                            "antrean.delete_counterwindow"],
        Role.SUPERVISOR: _SETUP + ["antrean.view_booking"],
        Role.ADMIN: _SETUP + _DESK + [
            "antrean.add_counterschedule", "antrean.change_counterschedule",
            "antrean.add_counterwindow", "antrean.change_counterwindow", "antrean.delete_counterwindow",
            "antrean.add_visitrequirement", "antrean.change_visitrequirement", "antrean.delete_visitrequirement",
            "antrean.add_closedday",
        ],
    }

    def ready(self):
        from kupang_portal.dashboards import services as dashboards
        from kupang_portal.organization.models import Holiday

        from . import rollups

        post_save.connect(_holiday_saved, sender=Holiday, dispatch_uid="antrean_close_on_holiday")
        dashboards.register_day_filler(rollups.fill_day)


def _holiday_saved(sender, instance, created, **kwargs):
    """A holiday or cuti bersama added after bookings were made closes that day's counters."""
    from . import services

    services.close_for_holiday(instance)
