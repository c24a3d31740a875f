"""Load Kota Kupang's offices, 6 kecamatan, 51 kelurahan and the 2025/2026 holidays."""

from django.db import migrations


def load(apps, schema_editor):
    from kupang_portal.organization.reference import load_organization

    load_organization(apps)


class Migration(migrations.Migration):
    dependencies = [("organization", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
