"""The public figures of /transparansi/ and the open-data rows (one definition for page, CSV, JSON)."""

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kupang_portal.core import cache, db
from kupang_portal.core.cache import fragments

CACHE_KEY = "transparansi:figures:v1"
STAMP_KEY = "transparansi:figures:stamp"  # core.cache.read_stamps: renewed when published material changes
CACHE_SECONDS = 600
SMALL_CELL = 5
MASK = "< 5"

# Definitions of the page's own figures (shown on the page; tests compute them by hand).
DEFINITIONS = [
    (_("OPD dengan SKM terbit"), _("Jumlah OPD aktif yang sudah menerbitkan paling sedikit satu laporan SKM, dari seluruh OPD aktif.")),
    (_("Rata-rata nilai SKM"), _("Rata-rata sederhana nilai SKM (konversi) laporan terbit terakhir setiap OPD, tanpa bobot jumlah responden.")),
    (_("Rencana tindak lanjut"), _("Jumlah baris RTL pada laporan SKM terbit terakhir setiap OPD.")),
    (_("RTL selesai"), _("Jumlah RTL berstatus selesai dibagi jumlah RTL, dalam persen.")),
    (_("Tren nilai SKM"), _("Per periode: rata-rata sederhana nilai SKM OPD yang laporannya untuk periode itu sudah terbit.")),
    (_("Angka SKM per OPD dan layanan"), _("Dari laporan SKM terbit terakhir; definisinya sama dengan laporan SKM (lihat halaman laporan).")),
    (_("12 bulan terakhir"), _("365 hari sampai hari ini (WITA), dari rekap harian dasbor; “data per” adalah waktu rekap terakhir diperbarui.")),
    (_("Permohonan diterima / selesai"), _("Permohonan yang diajukan lengkap / yang selesai (tanggal selesai) dalam 12 bulan terakhir.")),
    (_("Selesai tepat waktu"), _("Permohonan selesai paling lambat tenggat standar pelayanan (hari kerja sejak pengajuan, tidak termasuk masa menunggu perbaikan warga) dibagi permohonan selesai, dalam persen.")),
    (_("Median hari kerja"), _("Nilai tengah lama proses permohonan selesai dalam hari kerja (pengajuan sampai selesai, dikurangi masa menunggu perbaikan warga).")),
    (_("Pengaduan diterima / selesai"), _("Pengaduan yang masuk / yang ditutup (oleh pelapor atau otomatis 10 hari kerja setelah tanggapan) dalam 12 bulan terakhir.")),
    (_("Tahap SP4N-LAPOR!"), _("Verifikasi tepat waktu: pengaduan yang didisposisi paling lama 3 hari kerja setelah masuk, dibagi semua yang didisposisi. Tindak lanjut tepat waktu: tanggapan yang diberikan paling lama batas tindak lanjut (5, 14 atau 60 hari kerja sejak disposisi) dibagi semua tanggapan.")),
    (_("Angka kecil"), _("Jumlah di bawah 5 ditulis “< 5”; persentase dan median yang dasarnya kurang dari 5 kasus tidak ditampilkan (“–”).")),
]

# Stable open-data columns: (name, Indonesian definition). Never rename; only add.
COLUMNS = [
    ("opd_kode", _("Kode OPD (tetap).")),
    ("opd_nama", _("Nama OPD.")),
    ("layanan_slug", _("Kode layanan (tetap); kosong pada baris OPD secara keseluruhan.")),
    ("layanan_nama", _("Nama layanan; kosong pada baris OPD secara keseluruhan.")),
    ("skm_periode", _("Periode SKM terbit terakhir: 2026-S1 (semester), 2026-T3 (triwulan) atau 2026 (tahun).")),
    ("skm_periode_awal", _("Tanggal awal periode (YYYY-MM-DD).")),
    ("skm_periode_akhir", _("Tanggal akhir periode (YYYY-MM-DD).")),
    ("skm_tanggal_terbit", _("Tanggal laporan SKM diterbitkan kepala OPD.")),
    ("skm_responden", _("Jumlah responden: survei yang dikirim pada periode itu dengan paling sedikit satu unsur dijawab. Di bawah 5 ditulis “< 5”.")),
    ("skm_populasi", _("Jumlah pengguna layanan pada periode itu (permohonan selesai; pada baris OPD ditambah pengaduan yang ditutup setelah ditanggapi). Di bawah 5 ditulis “< 5”.")),
    ("skm_sampel_minimum", _("Sampel minimum menurut rumus Krejcie–Morgan untuk populasi tersebut. Di bawah 5 ditulis “< 5”.")),
    ("skm_memenuhi_sampel", _("ya bila responden ≥ sampel minimum, tidak bila belum memenuhi jumlah sampel minimum.")),
    ("skm_nilai", _("Nilai SKM (konversi) = IKM × 25, skala 25–100, dua desimal dengan titik desimal. IKM = rata-rata NRR unsur yang dijawab (bobot sama, berjumlah 1); NRR = jumlah nilai unsur / jumlah jawaban unsur itu.")),
    ("skm_mutu", _("Mutu pelayanan: A (88,31–100), B (76,61–88,30), C (65,00–76,60), D (25,00–64,99).")),
    ("skm_kinerja", _("Kinerja unit pelayanan: Sangat Baik, Baik, Kurang Baik, Tidak Baik (sesuai mutu).")),
    ("rtl_jumlah", _("Jumlah baris rencana tindak lanjut (RTL) laporan itu; hanya pada baris OPD.")),
    ("rtl_selesai", _("Jumlah RTL berstatus selesai.")),
    ("rtl_berjalan", _("Jumlah RTL berstatus berjalan.")),
    ("rtl_rencana", _("Jumlah RTL berstatus rencana.")),
    ("data_per", _("Waktu data dihitung (ISO 8601, WITA).")),
    ("kategori_pengaduan", _("Kategori pengaduan (baris kategori, seluruh kota); kosong pada baris OPD dan layanan.")),
    ("rekap_dari", _("Awal 12 bulan terakhir untuk kolom permohonan_ dan pengaduan_ (YYYY-MM-DD).")),
    ("rekap_sampai", _("Akhir 12 bulan terakhir (hari ini, YYYY-MM-DD).")),
    ("permohonan_diterima", _("Permohonan yang diajukan lengkap dalam 12 bulan terakhir. Di bawah 5 ditulis “< 5”.")),
    ("permohonan_selesai", _("Permohonan yang selesai dalam 12 bulan terakhir. Di bawah 5 ditulis “< 5”.")),
    ("permohonan_tepat_waktu_persen", _("Permohonan selesai paling lambat tenggat standar pelayanan ÷ permohonan selesai × 100 (satu desimal); kosong bila kurang dari 5 permohonan selesai.")),
    ("permohonan_median_hari_kerja", _("Median lama proses permohonan selesai dalam hari kerja (tanpa masa menunggu perbaikan warga); hanya baris OPD; kosong bila kurang dari 5.")),
    ("pengaduan_diterima", _("Pengaduan yang masuk dalam 12 bulan terakhir (baris OPD: pengaduan yang dipegang OPD itu). Di bawah 5 ditulis “< 5”.")),
    ("pengaduan_selesai", _("Pengaduan yang ditutup dalam 12 bulan terakhir. Di bawah 5 ditulis “< 5”.")),
    ("pengaduan_verifikasi_tepat_waktu_persen", _("Tahap verifikasi SP4N-LAPOR!: didisposisi paling lama 3 hari kerja setelah masuk ÷ semua yang didisposisi × 100; kosong bila kurang dari 5.")),
    ("pengaduan_tindak_lanjut_tepat_waktu_persen", _("Tahap tindak lanjut SP4N-LAPOR!: tanggapan paling lama batas tindak lanjut sejak disposisi ÷ semua tanggapan × 100; kosong bila kurang dari 5.")),
]
COLUMN_NAMES = [name for name, _definition in COLUMNS]


def masked(count):
    """A count for the public: the number, or "< 5" under 5 (zero included)."""
    if count is None:
        return None
    return MASK if count < SMALL_CELL else count


def _latest_published():
    from layanan.models import SkmReport

    latest = {}
    for report in SkmReport.objects.filter(published_at__isnull=False).select_related("office").prefetch_related("actions") \
            .order_by("office_id", "-published_at"):
        latest.setdefault(report.office_id, report)
    return latest


def _rtl(report):
    counts = defaultdict(int)
    for action in report.actions.all():
        counts[action.status] += 1
    total = sum(counts.values())
    return {
        "total": total, "selesai": counts["selesai"], "berjalan": counts["berjalan"], "rencana": counts["rencana"],
        "pct_done": (Decimal(counts["selesai"] * 100) / total).quantize(Decimal("0.1")) if total else None,
        "actions": [{"unsur": a.unsur, "action": a.action, "responsible": a.responsible, "target_date": a.target_date,
                     "status": a.status, "status_label": a.get_status_display(), "evidence": a.evidence}
                    for a in report.actions.all()],
    }


def _skm_part(part):
    result = part.get("result") or {}
    return {
        "respondents": masked(part["respondents"]), "population": masked(part["population"]),
        "sample_required": masked(part["sample_required"]), "meets_sample": part["meets_sample"],
        "konversi": Decimal(result["konversi"]) if result else None,
        "mutu": result.get("mutu"), "kinerja": result.get("kinerja"),
    }


def compute():
    """Everything the page and the exports show (aggregates only; nothing per person or per case)."""
    from kupang_portal.organization.models import Office
    from layanan.skm.periods import Period

    from .rollups import figures as case_figures

    now = timezone.now()
    cases = case_figures()
    latest = _latest_published()
    offices = []
    for office in Office.objects.filter(is_active=True).order_by("name"):
        report = latest.get(office.pk)
        entry = {"code": office.code, "name": office.name, "short_name": office.short_name, "skm": None, "rtl": None, "services": [],
                 "cases": cases["offices"].get(office.pk, {})}
        if report is not None:
            snap = report.snapshot
            period = Period(report.period_kind, report.year, report.number)
            entry["skm"] = {
                **_skm_part(snap), "period_key": period.key, "period_label": period.label,
                "first_day": period.first_day, "last_day": period.last_day, "published_on": report.published_on,
                "url": report.get_absolute_url(),
            }
            entry["rtl"] = _rtl(report)
            entry["services"] = [{"slug": s["slug"], "name": s["name"], **_skm_part(s)} for s in snap.get("services", [])]
        offices.append(entry)
    published = [o for o in offices if o["skm"] and o["skm"]["konversi"] is not None]
    rtl_total = sum(o["rtl"]["total"] for o in offices if o["rtl"])
    rtl_done = sum(o["rtl"]["selesai"] for o in offices if o["rtl"])
    headline = {
        "offices": len(offices),
        "offices_with_skm": len(published),
        "mean_konversi": (sum(o["skm"]["konversi"] for o in published) / len(published)).quantize(Decimal("0.01")) if published else None,
        "rtl_total": rtl_total,
        "rtl_done_pct": (Decimal(rtl_done * 100) / rtl_total).quantize(Decimal("0.1")) if rtl_total else None,
    }
    return {"generated_at": now, "headline": headline, "offices": offices, "trend": _trend(), "cases": cases}


def _trend():
    """Mean published SKM value per period (all offices that published for that period)."""
    from layanan.models import SkmReport
    from layanan.skm.periods import Period

    by_period = defaultdict(list)
    for report in SkmReport.objects.filter(published_at__isnull=False).only("period_kind", "year", "number", "snapshot"):
        result = report.snapshot.get("result")
        if result:
            period = Period(report.period_kind, report.year, report.number)
            by_period[(period.first_day, period.last_day, period.key, period.label)].append(Decimal(result["konversi"]))
    rows = []
    for (_first, _last, key, label), values in sorted(by_period.items()):
        rows.append({"key": key, "label": label, "offices": len(values),
                     "mean_konversi": (sum(values) / len(values)).quantize(Decimal("0.01"))})
    return rows


def figures():
    """The cached figures (recomputed at most every CACHE_SECONDS, or after invalidate()). Keyed on
    a stamp with the cache's generation: a publication during a Redis outage shows once it is back."""
    key = f"{CACHE_KEY}:{cache.read_stamps([STAMP_KEY])[STAMP_KEY]}"
    data = fragments().get(key)
    if data is None:
        data = compute()
        fragments().set(key, data, db.cache_seconds(CACHE_SECONDS))  # shorter when read from a replica
    return data


def invalidate():
    cache.renew_stamps(STAMP_KEY)


def open_data_rows(data=None):
    """Rows with COLUMN_NAMES: one per active office, one per service (published SKM or cases in the
    last 12 months) and one per complaint category (city-wide)."""
    from layanan.models import Service

    data = data or figures()
    stamp = timezone.localtime(data["generated_at"]).isoformat(timespec="seconds")
    cases = data["cases"]
    window = {"rekap_dari": cases["window"][0].isoformat(), "rekap_sampai": cases["window"][1].isoformat(), "data_per": stamp}
    services = {pk: (slug, office_code) for pk, slug, office_code in Service.objects.values_list("pk", "slug", "office__code")}
    service_cases = {}
    for subject in cases["subjects"]:
        kind, _sep, pk = subject["key"].partition(":")
        if kind == "layanan" and pk.isdigit() and int(pk) in services:
            service_cases[services[int(pk)]] = subject
    rows = []
    for office in data["offices"]:
        skm = office["skm"]
        common = {"opd_kode": office["code"], "opd_nama": office["name"], **window, **(_skm_common(skm) if skm else {})}
        rtl = office["rtl"]
        rows.append({**common, **(_skm_columns(skm) if skm else {}), **_case_columns(office["cases"]),
                     **({"rtl_jumlah": rtl["total"], "rtl_selesai": rtl["selesai"], "rtl_berjalan": rtl["berjalan"],
                         "rtl_rencana": rtl["rencana"]} if rtl else {})})
        seen = set()
        for service in office["services"]:
            seen.add(service["slug"])
            part = service_cases.get((service["slug"], office["code"]), {})
            rows.append({**common, "layanan_slug": service["slug"], "layanan_nama": service["name"], **_skm_columns(service),
                         **_case_columns({"applications": part} if part else {})})
        for (slug, code), part in sorted(service_cases.items()):
            if code == office["code"] and slug not in seen:
                rows.append({"opd_kode": office["code"], "opd_nama": office["name"], **window, "layanan_slug": slug,
                             "layanan_nama": part["label"], **_case_columns({"applications": part})})
    for subject in cases["subjects"]:
        if subject["case_type"] == "pengaduan":
            rows.append({**window, "kategori_pengaduan": subject["label"], **_case_columns({"complaints": subject})})
    return [{name: _cell(row.get(name)) for name in COLUMN_NAMES} for row in rows]


def _cell(value):
    return "" if value is None else value


def _skm_common(skm):
    return {
        "skm_periode": skm["period_key"], "skm_periode_awal": skm["first_day"].isoformat(),
        "skm_periode_akhir": skm["last_day"].isoformat(),
        "skm_tanggal_terbit": skm["published_on"].isoformat() if skm["published_on"] else "",
    }


def _case_columns(cases):
    apps, complaints = cases.get("applications") or {}, cases.get("complaints") or {}
    return {
        "permohonan_diterima": apps.get("received"), "permohonan_selesai": apps.get("completed"),
        "permohonan_tepat_waktu_persen": apps.get("on_time_pct"), "permohonan_median_hari_kerja": apps.get("median_days"),
        "pengaduan_diterima": complaints.get("received"), "pengaduan_selesai": complaints.get("closed"),
        "pengaduan_verifikasi_tepat_waktu_persen": complaints.get("verified_pct"),
        "pengaduan_tindak_lanjut_tepat_waktu_persen": complaints.get("responded_pct"),
    }


def _skm_columns(part):
    return {
        "skm_responden": part["respondents"], "skm_populasi": part["population"], "skm_sampel_minimum": part["sample_required"],
        "skm_memenuhi_sampel": "ya" if part["meets_sample"] else "tidak",
        "skm_nilai": str(part["konversi"]) if part["konversi"] is not None else "",
        "skm_mutu": part["mutu"] or "", "skm_kinerja": part["kinerja"] or "",
    }
