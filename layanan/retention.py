"""Applications: after RETENTION_APPLICATION_DOCUMENTS_DAYS from closing (completed, rejected,
withdrawn), the uploaded requirement and correction files are deleted; the issued document, the
application's data, figures and history stay."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kupang_portal.core.retention import Item
from kupang_portal.workflow import engine

from .constants import DocumentKind
from .models import Application, ApplicationDocument

UPLOADED = (DocumentKind.REQUIREMENT, DocumentKind.CORRECTION)


def due(now):
    cutoff = now - dt.timedelta(days=settings.RETENTION_APPLICATION_DOCUMENTS_DAYS)
    qs = (Application.objects.filter(is_open=False, closed_at__lt=cutoff)
          .annotate(uploaded=Count("documents", filter=Q(documents__kind__in=UPLOADED)))
          .filter(uploaded__gt=0).order_by("closed_at", "pk"))
    return [Item(app, app.number, app.closed_at, [_("%(n)d berkas unggahan") % {"n": app.uploaded}]) for app in qs]


def purge(item):
    application = Application.objects.select_for_update().get(pk=item.case.pk)
    documents = ApplicationDocument.objects.filter(application=application, kind__in=UPLOADED)
    for document in documents:
        document.file.delete(save=False)
    documents.delete()
    engine.record_event(application, None, "retention", _("Berkas unggahan dihapus (masa retensi berakhir)"),
                        application.status, application.status, public=False)
