from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "kupang_portal.workflow"
    label = "workflow"
    verbose_name = _("Alur kerja")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
