"""Loads the bundled reference data (a copy of shared/reference/kupang.json) into the database.

Used by the data migration and by seed_demo; idempotent (update_or_create on natural keys), so
re-running it refreshes names without touching rows the admin added.
"""

import json
from functools import lru_cache
from pathlib import Path

REFERENCE_PATH = Path(__file__).resolve().parent / "data" / "kupang.json"


@lru_cache(maxsize=1)
def reference_data():
    with open(REFERENCE_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def load_organization(apps=None):
    """Create or refresh offices, kecamatan, kelurahan and holidays. Returns counts."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Office = apps.get_model("organization", "Office")
    Kecamatan = apps.get_model("organization", "Kecamatan")
    Kelurahan = apps.get_model("organization", "Kelurahan")
    Holiday = apps.get_model("organization", "Holiday")
    data = reference_data()

    for item in data["opd"]:
        Office.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "short_name": item.get("short", item["name"])[:60],
                "address": item.get("address", ""),
                "website": item.get("web", ""),
                "unconfirmed": bool(item.get("unconfirmed")),
            },
        )
    for kec in data["kota_kupang"]["kecamatan"]:
        kecamatan, _ = Kecamatan.objects.update_or_create(
            code=kec["code"], defaults={"name": kec["name"], "nik_prefix": kec["nik_prefix"]}
        )
        for kel in kec["kelurahan"]:
            Kelurahan.objects.update_or_create(
                code=kel["code"], defaults={"name": kel["name"], "kecamatan": kecamatan}
            )
    for year, block in data["holidays"].items():
        if not year.isdigit():
            continue
        for entry in block.get("libur_nasional", []) + block.get("cuti_bersama", []):
            Holiday.objects.update_or_create(
                date=entry["date"], defaults={"name": entry["name"], "kind": entry["type"]}
            )
    return {
        "offices": Office.objects.count(),
        "kecamatan": Kecamatan.objects.count(),
        "kelurahan": Kelurahan.objects.count(),
        "holidays": Holiday.objects.count(),
    }
