"""``manage.py generate_cases --cases 1000000``: fill the real tables with realistic cases.

The one data generator of the project (benchmarks and large-data tests); see
``kupang_portal.dashboards.generator``. Refuses to run when DEBUG is off unless given --force.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kupang_portal.dashboards import versions
from kupang_portal.dashboards.generator import generate


class Command(BaseCommand):
    help = "Isi tabel permohonan dan pengaduan dengan kasus buatan yang realistis (untuk uji kinerja)."
    # The system checks import every URLconf and admin (about 0.8 s per run); the generator needs
    # only the models, and ``migrate`` (which must run first) has checked the project.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="Jumlah kasus (permohonan + pengaduan).")
        parser.add_argument("--years", type=float, default=2, help="Rentang waktu ke belakang (tahun), bawaan 2.")
        parser.add_argument("--seed", type=int, default=9, help="Benih acak (hasil dapat diulang).")
        parser.add_argument("--end", help="Tanggal akhir YYYY-MM-DD (bawaan: sekarang).")
        parser.add_argument("--complaint-share", type=float, default=0.35, help="Porsi pengaduan (0-1), bawaan 0,35.")
        parser.add_argument("--keep-indexes", action="store_true", help="Jangan lepas indeks selama pemuatan massal.")
        parser.add_argument("--force", action="store_true", help="Jalankan walaupun DEBUG mati.")
        parser.add_argument("--json", action="store_true", help="Cetak statistik sebagai JSON (untuk bench/).")

    def handle(self, *args, cases, years, seed, end, complaint_share, keep_indexes, force, json=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("generate_cases menolak berjalan saat DEBUG mati. Gunakan --force bila memang diinginkan.")
        if cases < 1:
            raise CommandError("--cases harus lebih dari 0.")
        if not 0 <= complaint_share <= 1:
            raise CommandError("--complaint-share harus antara 0 dan 1.")
        end_at = None
        if end:
            try:
                day = dt.date.fromisoformat(end)
            except ValueError:
                raise CommandError("--end harus berformat YYYY-MM-DD.") from None
            end_at = timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))
        stats = generate(cases, years=years, seed=seed, end=end_at, complaint_share=complaint_share,
                         bulk_indexes=False if keep_indexes else None, stdout=self.stdout)
        versions.bump(versions.EPOCH, versions.CASES_ALL)  # the cases were written with COPY, not the engine
        if json:
            import json as json_module

            self.stdout.write(json_module.dumps(stats))
            return
        for table, count in stats["rows"].items():
            self.stdout.write(f"{table}: {count:,} baris")
        self.stdout.write(self.style.SUCCESS(
            f"{stats['cases']:,} kasus ({stats['applications']:,} permohonan, {stats['complaints']:,} pengaduan), "
            f"{stats['total_rows']:,} baris dalam {stats['seconds']:.1f} dtk = {stats['rows_per_second']:,.0f} baris/dtk"
            f" (muat {stats['load_seconds']:.1f} dtk, indeks {stats['index_seconds']:.1f} dtk)"))
