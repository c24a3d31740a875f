"""Data migration: complaint categories, city-wide routing rules and response templates
(pengaduan/catalogue.py; editable afterwards in the admin)."""

from django.db import migrations


def seed(apps, schema_editor):
    from pengaduan.catalogue import load_categories

    load_categories(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("pengaduan", "0001_initial"),
        ("organization", "0002_load_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
