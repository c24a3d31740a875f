"""Periodic notification jobs: deadline reminders, escalations and the office heads' daily digest.

They work over every case type from ``kupang_portal.workflow.registry.case_types()`` and are
idempotent: each message carries a dedupe key (case, event, deadline date, level; or office and
date for the digest), so beat may run a job twice, or hourly, without anyone hearing twice.
No reminder, escalation or digest goes out on a non-working day (weekend, holiday, cuti bersama).
"""

import logging

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone

from kupang_portal.organization import calendar
from kupang_portal.organization.models import Office
from kupang_portal.workflow import recipients, registry, sla
from kupang_portal.workflow.notices import admin_link

from .models import Notification
from .services import notify

logger = logging.getLogger(__name__)

# Overdue by this many working days (or more): the city supervisors hear about it too.
SUPERVISOR_ESCALATION_WORKING_DAYS = 2
CHUNK = 500


class LocalDate:
    """A date that formats itself in the language active when the message is rendered."""

    def __init__(self, day):
        self.day = day

    def __str__(self):
        return formats.date_format(self.day, "j F Y")

    def __format__(self, spec):
        return format(str(self), spec)


def case_number(case):
    return str(getattr(case, "number", "") or case)


def case_title(case):
    title = getattr(case, "sla_title", None)
    if callable(title):
        title = title()
    return str(title or case)


def deadline_reminders(now=None):
    """Remind and escalate open, running cases of every type. Returns the number of rows written.

    - deadline within one working day: ``case_due_soon`` to the assignee (to the office's clerks
      when nobody took the case);
    - deadline passed: ``case_overdue`` to the office head(s);
    - still overdue ``SUPERVISOR_ESCALATION_WORKING_DAYS`` working days after the deadline: also
      to the city supervisors (group Pimpinan).
    """
    now = now or timezone.now()
    if not calendar.is_working_day(now):
        return 0
    horizon = sla.due_soon_horizon(now)
    staff = recipients.Cached()
    written = 0
    for model, _open_states in registry.case_types():
        cases = (
            model._default_manager.running()
            .filter(deadline__lte=horizon)
            .select_related("office", "assignee", *getattr(model, "sla_title_related", ()))
            .order_by("deadline", "pk")
        )
        chunk = []
        for case in cases.iterator(chunk_size=CHUNK):
            chunk.append(case)
            if len(chunk) >= CHUNK:
                written += _remind_chunk(chunk, now, staff)
                chunk = []
        if chunk:
            written += _remind_chunk(chunk, now, staff)
    return written


def _remind_chunk(cases, now, staff):
    """Skip cases already reminded (one query per chunk, not one per recipient and channel)."""
    keys = Notification.objects.filter(
        event__in=("case_due_soon", "case_overdue"), case_number__in={case_number(c) for c in cases},
        dedupe_key__isnull=False,
    ).values_list("dedupe_key", flat=True)
    done = {key.rsplit(":", 2)[0] for key in keys}
    written = 0
    for case in cases:
        with transaction.atomic():  # all recipients of one message, or none (then the next run retries)
            written += _remind(case, now, staff, done)
    return written


def _remind(case, now, staff, done=frozenset()):
    deadline_day = calendar.to_local_date(case.deadline)
    label = case._meta.label_lower
    number = case_number(case)
    context = {
        "office": str(case.office) if case.office_id else "-",
        "title": case_title(case),
        "deadline": LocalDate(deadline_day),
    }
    link = admin_link(case)
    written = 0
    if case.deadline >= now:
        if calendar.working_days_between(now, case.deadline) > 1:
            return 0
        if case.assignee_id and case.assignee.is_active:
            to = [case.assignee]
        elif case.office_id:
            to = staff.office_clerks(case.office_id)
        else:
            to = []
        key = f"case_due_soon:{label}:{case.pk}:{deadline_day.isoformat()}"
        if key in done:
            return 0
        written += len(notify("case_due_soon", to, context, link=link, case_number=number, dedupe_key=key))
        return written
    key = f"case_overdue:{label}:{case.pk}:{deadline_day.isoformat()}"
    if case.office_id and f"{key}:1" not in done:
        written += len(notify("case_overdue", staff.office_heads(case.office_id), context, link=link, case_number=number,
                              dedupe_key=f"{key}:1"))
    if f"{key}:2" not in done and calendar.working_days_between(case.deadline, now) >= SUPERVISOR_ESCALATION_WORKING_DAYS:
        written += len(notify("case_overdue", staff.supervisors(), context, link=link, case_number=number,
                              dedupe_key=f"{key}:2"))
    return written


def office_counts(now=None):
    """{office_id: {"open": n, "due_soon": n, "overdue": n}} over every case type."""
    now = now or timezone.now()
    horizon = sla.due_soon_horizon(now)
    running = Q(sla_paused_at__isnull=True, deadline__isnull=False)
    totals = {}
    for model, _open_states in registry.case_types():
        rows = (
            model._default_manager.open()
            .filter(office__isnull=False)
            .values("office_id")
            .annotate(
                open=Count("pk"),
                due_soon=Count("pk", filter=running & Q(deadline__gte=now, deadline__lte=horizon)),
                overdue=Count("pk", filter=running & Q(deadline__lt=now)),
            )
            .order_by()
        )
        for row in rows:
            counts = totals.setdefault(row["office_id"], {"open": 0, "due_soon": 0, "overdue": 0})
            for name in counts:
                counts[name] += row[name]
    return totals


def daily_digest(now=None):
    """One summary per office head per working day (offices with open cases only)."""
    now = now or timezone.now()
    if not calendar.is_working_day(now):
        return 0
    today = calendar.to_local_date(now)
    totals = office_counts(now)
    if not totals:
        return 0
    link = reverse("admin:index")
    written = 0
    offices = Office.objects.in_bulk(list(totals))
    staff = recipients.Cached()
    for office_id in sorted(totals):
        counts = totals[office_id]
        if not counts["open"] or office_id not in offices:
            continue
        context = {
            "office": str(offices[office_id]),
            "date": LocalDate(today),
            "open_count": counts["open"],
            "due_soon_count": counts["due_soon"],
            "overdue_count": counts["overdue"],
        }
        key = f"office_daily_digest:{office_id}:{today.isoformat()}"
        written += len(notify("office_daily_digest", staff.office_heads(office_id), context, link=link, dedupe_key=key))
    return written
