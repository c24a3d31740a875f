"""seed_demo: fill the rollups over the demo cases so every dashboard has something to show."""

import datetime as dt

from django.utils import timezone


def seed(command):
    from django.db.models import Min

    from layanan.models import Application
    from pengaduan.models import Complaint

    from . import services

    today = timezone.localdate()
    firsts = [m.objects.aggregate(first=Min("submitted_at"))["first"] for m in (Application, Complaint)]
    firsts = [timezone.localtime(f).date() for f in firsts if f]
    first = min(firsts + [today - dt.timedelta(days=60)])
    services.fill_range(first, today, "backfill")
    command.stdout.write(f"Rekap dasbor: {first}..{today} terisi")
