from django.db import migrations


def load(apps, schema_editor):
    from antrean.reference import load_visits

    load_visits(apps)


class Migration(migrations.Migration):
    dependencies = [("antrean", "0001_initial"), ("layanan", "0002_load_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
