"""Data migration: the 17 services of the reference data (editable afterwards in the admin)."""

from django.db import migrations


def load(apps, schema_editor):
    from layanan.catalogue import load_catalogue

    load_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("layanan", "0001_initial"),
        ("organization", "0002_load_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
