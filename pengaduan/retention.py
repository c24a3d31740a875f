"""Complaints: after RETENTION_COMPLAINT_DAYS from closing, the reporter's identity (the link to
the account, i.e. name and contact), the photo originals and the reporter's addresses in the
outbox are removed. Category, kelurahan, dates, responses, ratings and history stay."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kupang_portal.core.retention import Item
from kupang_portal.notifications.models import Notification
from kupang_portal.workflow import engine

from .models import Complaint


def due(now):
    cutoff = now - dt.timedelta(days=settings.RETENTION_COMPLAINT_DAYS)
    qs = (Complaint.objects.filter(is_open=False, closed_at__lt=cutoff)
          .annotate(photo_count=Count("photos"))
          .filter(Q(reporter__isnull=False) | Q(photo_count__gt=0))
          .order_by("closed_at", "pk"))
    items = []
    for complaint in qs:
        removes = []
        if complaint.reporter_id:
            removes.append(_("identitas dan kontak pelapor"))
        if complaint.photo_count:
            removes.append(_("%(n)d foto") % {"n": complaint.photo_count})
        items.append(Item(complaint, complaint.number, complaint.closed_at, removes))
    return items


def purge(item):
    complaint = Complaint.objects.select_for_update().get(pk=item.case.pk)
    for photo in complaint.photos.all():
        photo.file.delete(save=False)
        photo.delete()
    if complaint.reporter_id:
        Notification.objects.filter(case_number=complaint.number, recipient_id=complaint.reporter_id).update(address="")
        # The history keeps what happened ("Pemohon/pelapor" closed it), not whose account did it.
        complaint.history().filter(actor_id=complaint.reporter_id).update(actor=None)
        Complaint.objects.filter(pk=complaint.pk).update(reporter=None)
    engine.record_event(complaint, None, "retention", _("Data pribadi dihapus (masa retensi berakhir)"),
                        complaint.status, complaint.status, public=False)
