"""``manage.py fill_dashboards --from 2025-01-01 --to 2026-11-30``: (re)build the rollups of a range.

Idempotent per day; progress is recorded, so ``--resume`` (or the beat tasks) continue a fill
that crashed at the day after the last finished one.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kupang_portal.dashboards import services


class Command(BaseCommand):
    help = "Isi ulang rekap dasbor untuk rentang tanggal (bawaan: 2 tahun terakhir)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="Tanggal awal YYYY-MM-DD.")
        parser.add_argument("--to", dest="last", help="Tanggal akhir YYYY-MM-DD (bawaan: hari ini).")
        parser.add_argument("--resume", action="store_true", help="Lanjutkan pengisian yang terhenti saja.")

    def handle(self, *args, first=None, last=None, resume=False, **options):
        if resume:
            runs = services.resume_unfinished(max_age_days=3650)
            self.stdout.write(self.style.SUCCESS(f"{len(runs)} pengisian dilanjutkan."))
            return
        try:
            last_day = dt.date.fromisoformat(last) if last else timezone.localdate()
            first_day = dt.date.fromisoformat(first) if first else last_day - dt.timedelta(days=730)
        except ValueError:
            raise CommandError("Tanggal harus berformat YYYY-MM-DD.") from None
        if last_day < first_day:
            raise CommandError("Tanggal akhir tidak boleh sebelum tanggal awal.")
        total = (last_day - first_day).days + 1
        done = []

        def progress(day):
            done.append(day)
            if len(done) % 30 == 0 or day == last_day:
                self.stdout.write(f"{len(done)}/{total} hari ({day})")

        run = services.fill_range(first_day, last_day, "backfill", on_day=progress)
        self.stdout.write(self.style.SUCCESS(f"Rekap {first_day}..{last_day} selesai (pengisian #{run.pk})."))
