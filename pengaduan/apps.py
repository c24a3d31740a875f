from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kupang_portal.accounts.roles import Role

_VIEW_CASES = ["pengaduan.view_complaint", "pengaduan.view_complaintphoto", "pengaduan.view_complaintresponse"]
_VIEW_CONFIG = ["pengaduan.view_category", "pengaduan.view_routingrule", "pengaduan.view_responsetemplate"]


class PengaduanConfig(AppConfig):
    name = "pengaduan"
    verbose_name = _("Pengaduan")

    role_permissions = {
        Role.CLERK: _VIEW_CASES + _VIEW_CONFIG,
        Role.VERIFIER: _VIEW_CASES + _VIEW_CONFIG + ["pengaduan.add_responsetemplate", "pengaduan.change_responsetemplate"],
        Role.OFFICE_HEAD: _VIEW_CASES + _VIEW_CONFIG + ["pengaduan.add_responsetemplate", "pengaduan.change_responsetemplate"],
        Role.SUPERVISOR: _VIEW_CASES + _VIEW_CONFIG,
        Role.ADMIN: _VIEW_CASES + [
            f"pengaduan.{action}_{model}"
            for model in ("category", "routingrule", "responsetemplate", "apikey")
            for action in ("view", "add", "change", "delete")
        ],
    }

    def ready(self):
        from kupang_portal.core import tracking
        from kupang_portal.workflow import registry

        from . import access, selectors
        from .models import Complaint
        from .open311 import caching
        from .workflow import WORKFLOW

        registry.register(Complaint, WORKFLOW)
        tracking.register(selectors.tracking_lookup)
        tracking.register_code_check(access.tracking_code_check)
        caching.connect()
