"""Service pages showed the reference data's research notes (English, source ids, a raw dict) and
nine services had no legal basis: replace those values with clean Indonesian texts (values an
admin changed are kept)."""

from django.db import migrations


def clean(apps, schema_editor):
    from layanan.catalogue import clean_service_texts

    clean_service_texts(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("layanan", "0006_skm_unit_profile_reports_followups"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
