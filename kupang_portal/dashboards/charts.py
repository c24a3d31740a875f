"""Chart data for the templates: the numbers (also shown in a table) and a text summary.

Each chart is a dict rendered with ``json_script`` and drawn by ``static/js/dashboards.js``
(Chart.js 4, no inline script); the same rows are printed as an HTML table next to the canvas,
and ``summary`` is the canvas' ``aria-label`` (role="img").
"""

from django.utils import formats
from django.utils.translation import gettext as _

from .selectors import AGING_BUCKETS


def _n(value):
    return formats.number_format(value or 0, 0, use_l10n=True, force_grouping=True)


def pct(value):
    if value is None:
        return "–"
    return formats.number_format(100 * value, 1, use_l10n=True) + "%"


def period_label(day, group):
    return formats.date_format(day, "M Y" if group == "month" else "j M Y")


def _finish(chart):
    chart["data_id"] = chart["id"] + "-data"
    chart["js"] = {"type": chart["type"], "labels": chart["labels"], "datasets": chart["datasets"],
                   "percent": bool(chart.get("percent"))}
    return chart


def trend_chart(rows, filters):
    labels = [period_label(r["period"], filters.group) for r in rows]
    received = [r["received"] or 0 for r in rows]
    completed = [r["completed"] or 0 for r in rows]
    if rows:
        summary = _("Tren per %(unit)s, %(first)s sampai %(last)s: diterima %(r)s, selesai %(c)s.") % {
            "unit": _("bulan") if filters.group == "month" else _("minggu"), "first": labels[0], "last": labels[-1],
            "r": _n(sum(received)), "c": _n(sum(completed))}
    else:
        summary = _("Belum ada data pada periode ini.")
    return _finish({
        "id": "chart-trend", "type": "line", "labels": labels, "summary": summary,
        "datasets": [{"label": str(_("Diterima")), "data": received}, {"label": str(_("Selesai")), "data": completed}],
        "rows": [{"label": l, "values": [_n(a), _n(b), pct(r["on_time_pct"])]} for l, a, b, r in zip(labels, received, completed, rows, strict=False)],
        "columns": [_("Periode"), _("Diterima"), _("Selesai"), _("Tepat waktu")],
    })


def on_time_chart(office_rows):
    rows = [r for r in office_rows if r["completed"]][:15]
    labels = [r["label"] for r in rows]
    values = [round(100 * r["on_time_pct"], 1) if r["on_time_pct"] is not None else 0 for r in rows]
    if rows:
        best = max(rows, key=lambda r: r["on_time_pct"] or 0)
        summary = _("Persentase selesai tepat waktu per OPD; tertinggi %(name)s %(pct)s.") % {"name": best["label"], "pct": pct(best["on_time_pct"])}
    else:
        summary = _("Belum ada kasus selesai pada periode ini.")
    return _finish({
        "id": "chart-ontime", "type": "bar", "labels": labels, "summary": summary, "percent": True,
        "datasets": [{"label": str(_("Selesai tepat waktu (%)")), "data": values}],
        "rows": [{"label": r["label"], "values": [_n(r["completed"]), _n(r["completed_on_time"]), pct(r["on_time_pct"])]} for r in rows],
        "columns": [_("OPD"), _("Selesai"), _("Tepat waktu"), _("%")],
    })


def aging_label(low, high):
    return f"{low}–{high}" if high is not None else f"> {low - 1}"


def aging_chart(backlog):
    labels = [aging_label(low, high) + " " + _("hari kerja") for low, high in AGING_BUCKETS]
    values = list(backlog["buckets"])
    summary = _("Tunggakan akhir periode %(total)s kasus: %(parts)s.") % {
        "total": _n(backlog["total"]), "parts": ", ".join(f"{l} {_n(v)}" for l, v in zip(labels, values, strict=False))}
    return _finish({
        "id": "chart-aging", "type": "bar", "labels": labels, "summary": summary,
        "datasets": [{"label": str(_("Kasus terbuka")), "data": values}],
        "rows": [{"label": l, "values": [_n(v)]} for l, v in zip(labels, values, strict=False)],
        "columns": [_("Umur"), _("Kasus")],
    })
