"""Load demo accounts and demo cases (embedded development default only).

Each app may provide a ``demo`` module with ``seed(command)``; they run in INSTALLED_APPS order
after the reference data and the demo accounts; then, in a second pass, every ``seed_late(command)``
(data that spans apps, e.g. SKM answers for closed demo complaints). Idempotent: running it twice
changes nothing.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Isi data demo: akun untuk setiap peran dan kasus dalam setiap status."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Jalankan walaupun DEBUG mati (jangan di produksi).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo menolak berjalan saat DEBUG mati. Gunakan --force bila memang diinginkan.")
        modules = []
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            modules.append(module)
            with transaction.atomic():
                module.seed(self)
        for module in modules:
            if hasattr(module, "seed_late"):
                with transaction.atomic():
                    module.seed_late(self)
        self.stdout.write(self.style.SUCCESS("Data demo siap. Kata sandi semua akun demo: Demo#Kupang2026"))
