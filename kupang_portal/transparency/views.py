"""Public pages of /transparansi/ (no login). Same figures on the page, in CSV and in JSON."""

import csv

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from kupang_portal.core.db import replica_reads

from . import selectors

PUBLIC_CACHE = cache_control(public=True, max_age=300)


def _charts(data):
    """Chart specs {type, labels, datasets: [{label, data}]} for json_script (the numbers are also in tables)."""
    published = [o for o in data["offices"] if o["skm"] and o["skm"]["konversi"] is not None]
    return {
        "by_office": {
            "type": "bar", "labels": [o["short_name"] for o in published],
            "datasets": [{"label": _("Nilai SKM terbit terakhir"), "data": [float(o["skm"]["konversi"]) for o in published]}],
        },
        "cases": {
            "type": "line", "labels": [formats.date_format(row["period"], "M Y") for row in data["cases"]["trend"]],
            "datasets": [
                {"label": _("Diterima (permohonan dan pengaduan)"), "data": [row["received_value"] for row in data["cases"]["trend"]]},
                {"label": _("Selesai (permohonan dan pengaduan)"), "data": [row["completed_value"] for row in data["cases"]["trend"]]},
            ],
        },
        "trend": {
            "type": "line", "labels": [row["label"] for row in data["trend"]],
            "datasets": [{"label": _("Rata-rata nilai SKM terbit per periode"),
                          "data": [float(row["mean_konversi"]) for row in data["trend"]]}],
        },
    }


@require_GET
@replica_reads
def page(request):
    data = selectors.figures()
    response = render(request, "transparansi/page.html", {"data": data, "charts": _charts(data), "definitions": selectors.DEFINITIONS})
    if not request.user.is_authenticated:
        response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def columns(request):
    return render(request, "transparansi/columns.html", {"columns": selectors.COLUMNS})


def _filename(ext):
    return f"transparansi-kupang-{timezone.localdate():%Y%m%d}.{ext}"


@require_GET
@PUBLIC_CACHE
@replica_reads
def export_csv(request):
    rows = selectors.open_data_rows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    writer = csv.DictWriter(response, fieldnames=selectors.COLUMN_NAMES)
    writer.writeheader()
    writer.writerows(rows)
    return response


@require_GET
@PUBLIC_CACHE
@replica_reads
def export_json(request):
    data = selectors.figures()
    payload = {
        "data_per": timezone.localtime(data["generated_at"]).isoformat(timespec="seconds"),
        "kolom": [{"nama": name, "definisi": str(definition)} for name, definition in selectors.COLUMNS],
        "baris": selectors.open_data_rows(data),
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="{_filename("json")}"'
    return response


