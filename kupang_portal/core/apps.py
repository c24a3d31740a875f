from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kupang_portal.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self):
        from kupang_portal.workflow.signals import case_changed

        from . import checks, tracking  # noqa: F401  (checks: registers the system checks)

        case_changed.connect(tracking.case_changed, dispatch_uid="core-tracking-case-changed")
