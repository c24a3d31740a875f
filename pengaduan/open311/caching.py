"""Stamps of the cached public complaint responses (``kupang_portal.core.pagecache``).

- ``LIST_STAMP``: the Open311 list (``GET requests.json``/``.xml``) is renewed after every
  committed change of any complaint (a transition, a direct save, a response or its rating);
  without a change a cached list lives ``LIST_TIMEOUT`` seconds, which bounds how late the
  default 90-day window moves on.
- ``CATEGORIES_STAMP``: category names are shown on public pages (tracking, Open311); an
  admin's edit renews every cached public response.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from kupang_portal.core import pagecache
from kupang_portal.workflow.signals import case_changed, notify_changed

LIST_STAMP = "open311:requests:stamp"
CATEGORIES_STAMP = "pengaduan:categories:stamp"
LIST_TIMEOUT = 60


def list_stamps(request, *args, **kwargs):
    return [LIST_STAMP]


def _complaint_changed(sender, case, **kwargs):
    pagecache.bump(LIST_STAMP)


def _response_changed(sender, instance, **kwargs):
    notify_changed(instance.complaint)  # the tracking page shows the latest response and its rating


def _category_changed(sender, **kwargs):
    transaction.on_commit(lambda: pagecache.bump(CATEGORIES_STAMP), robust=True)


def connect():
    from ..models import Category, Complaint, ComplaintResponse

    pagecache.register_public_stamp(CATEGORIES_STAMP)
    case_changed.connect(_complaint_changed, sender=Complaint, dispatch_uid="open311-list-complaint-changed")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_response_changed, sender=ComplaintResponse, dispatch_uid=f"pengaduan-response-{name}")
        signal.connect(_category_changed, sender=Category, dispatch_uid=f"pengaduan-category-{name}")
