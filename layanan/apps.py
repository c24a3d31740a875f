from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kupang_portal.accounts.roles import Role

_CATALOGUE_VIEW = ["layanan.view_service", "layanan.view_requirement", "layanan.view_servicestep"]
# SKM answers: office heads and city-wide readers only (never clerks); shown without the applicant.
_SKM_VIEW = ["layanan.view_surveyresponse"]
_CASE_VIEW = ["layanan.view_application", "layanan.view_applicationdocument"]


class LayananConfig(AppConfig):
    name = "layanan"
    verbose_name = _("Layanan (permohonan)")

    # Synced into the role groups after every migrate (kupang_portal.accounts.roles.sync_roles).
    role_permissions = {
        Role.CLERK: _CASE_VIEW + _CATALOGUE_VIEW,
        Role.OFFICE_HEAD: _CASE_VIEW + _CATALOGUE_VIEW + _SKM_VIEW,
        Role.SUPERVISOR: _CASE_VIEW + _CATALOGUE_VIEW + _SKM_VIEW,
        Role.ADMIN: _CATALOGUE_VIEW + [
            "layanan.add_service", "layanan.change_service",
            "layanan.add_requirement", "layanan.change_requirement", "layanan.delete_requirement",
            "layanan.add_servicestep", "layanan.change_servicestep", "layanan.delete_servicestep",
            "layanan.view_application",
        ] + _SKM_VIEW,
    }

    def ready(self):
        from kupang_portal.core import pagecache, tracking
        from kupang_portal.workflow import registry

        from . import fragments, selectors
        from .models import Application
        from .workflow import APPLICATION_WORKFLOW

        registry.register(Application, APPLICATION_WORKFLOW)
        tracking.register(selectors.tracking_lookup)
        fragments.connect()
        # Every public page shows services or offices (navigation, popular services, tracking).
        pagecache.register_public_stamp(fragments.VERSION_KEY)
