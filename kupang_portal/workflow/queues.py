"""The staff's queue summary on the admin home: per case type the staff member can see, the
number of new, due-soon and overdue cases, each a link to the filtered queue.

Definitions (shown on the page, the same as the code):
- baru: open cases nobody has taken yet (no clerk assigned);
- jatuh tempo ≤ 1 hari kerja: open cases whose running deadline falls between now and the end of
  the next working day (the queue's SLA filter "due soon");
- lewat tenggat: open cases whose running deadline has passed.
A paused clock (waiting for the resident) counts in neither deadline figure.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse

from kupang_portal.organization.calendar import SlaStatus

from .admin import CaseAdmin, open_cases, sla_queryset


@dataclass
class QueueRow:
    label: str
    url: str
    new: int
    due_soon: int
    overdue: int
    new_url: str
    due_soon_url: str
    overdue_url: str


def summary(request, site=None, now=None):
    site = site or admin.site
    rows = []
    for model, model_admin in site._registry.items():
        if not isinstance(model_admin, CaseAdmin) or not model_admin.has_view_permission(request):
            continue
        queryset = model_admin.get_queryset(request)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        rows.append(QueueRow(
            label=str(model._meta.verbose_name_plural).capitalize(), url=url,
            new=open_cases(queryset).filter(assignee__isnull=True).count(),
            due_soon=sla_queryset(queryset, SlaStatus.DUE_SOON, now).count(),
            overdue=sla_queryset(queryset, SlaStatus.OVERDUE, now).count(),
            new_url=f"{url}?petugas=none", due_soon_url=f"{url}?sla={SlaStatus.DUE_SOON}", overdue_url=f"{url}?sla={SlaStatus.OVERDUE}",
        ))
    return sorted(rows, key=lambda r: r.label)
