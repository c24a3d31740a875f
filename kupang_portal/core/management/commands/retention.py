"""manage.py retention [--dry-run]: remove personal data past its retention period."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from kupang_portal.core import retention


class Command(BaseCommand):
    help = "Hapus data pribadi yang melewati masa retensi (lihat README). --dry-run hanya menampilkan daftarnya."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan yang akan dihapus tanpa menghapus apa pun.")

    def handle(self, *args, dry_run=False, **options):
        items = retention.run(dry_run=dry_run)
        for item in items:
            closed = timezone.localtime(item.closed_at).strftime("%Y-%m-%d")
            self.stdout.write(f"{item.number}\tditutup {closed}\t{', '.join(str(r) for r in item.removes)}")
        verb = "akan dihapus" if dry_run else "dihapus"
        self.stdout.write(self.style.SUCCESS(f"{len(items)} kasus: data pribadi {verb}."))
