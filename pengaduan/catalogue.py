"""The initial complaint categories, city-wide routing rules and response templates.

Lampu jalan (penerangan jalan umum) goes to DISHUB: in Kota Kupang street lighting is maintained by
the Dinas Perhubungan; change the rule in the admin if that moves to PUPR.
Follow-up days: 5 (keluhan), 14 (needs coordination/repair planning), 60 (audit/field examination).
Used by the data migration (historical models), the demo seeder and tests; idempotent (existing
categories, rules and templates are kept, so admin edits survive).
"""

CATEGORIES = [
    # service_code, name, office, follow-up days, group, description
    ("sampah", "Kebersihan dan sampah", "DLHK", 5, "Lingkungan", "Sampah tidak diangkut, TPS penuh, pembakaran sampah"),
    ("jalan-rusak", "Jalan rusak", "PUPR", 14, "Infrastruktur", "Jalan berlubang, aspal rusak, trotoar rusak"),
    ("drainase", "Drainase dan banjir", "PUPR", 14, "Infrastruktur", "Saluran tersumbat, genangan, banjir"),
    ("air-bersih", "Air bersih", "PERUMDA_AM", 5, "Utilitas", "Air PDAM mati, pipa bocor, kualitas air"),
    ("lampu-jalan", "Lampu jalan", "DISHUB", 5, "Utilitas", "Penerangan jalan umum mati atau rusak"),
    ("adminduk", "Pelayanan kependudukan", "DISDUKCAPIL", 5, "Pelayanan", "KTP-el, KK, akta, pindah datang"),
    ("perizinan", "Perizinan", "DPMPTSP", 5, "Pelayanan", "Izin usaha, PBG, layanan MPP"),
    ("pungli", "Pungutan liar / korupsi", "INSPEKTORAT", 60, "Pengawasan", "Pungutan liar, gratifikasi, penyalahgunaan wewenang"),
    ("ketertiban", "Ketertiban umum", "SATPOLPP", 5, "Ketertiban", "PKL, kebisingan, bangunan liar, ketertiban umum"),
    ("kesehatan", "Kesehatan", "DINKES", 5, "Pelayanan", "Puskesmas, layanan kesehatan, sanitasi"),
    ("transportasi", "Transportasi", "DISHUB", 5, "Infrastruktur", "Angkutan kota, parkir, rambu dan lampu lalu lintas"),
]

TEMPLATES = [
    (None, "Diterima dan dijadwalkan", "Terima kasih atas laporan Anda. Laporan telah kami terima dan dijadwalkan untuk ditindaklanjuti oleh petugas lapangan. Kami akan memperbarui status setelah penanganan selesai."),
    (None, "Sudah ditangani", "Terima kasih atas laporan Anda. Petugas kami telah menangani permasalahan yang dilaporkan. Apabila masalah masih terjadi, silakan buka kembali pengaduan ini dengan menjelaskan kondisinya."),
    ("sampah", "Sampah sudah diangkut", "Sampah di lokasi yang Anda laporkan telah diangkut oleh armada DLHK. Jadwal pengangkutan rutin di wilayah tersebut juga telah kami tinjau."),
    ("jalan-rusak", "Masuk rencana perbaikan", "Kerusakan jalan telah kami survei dan dimasukkan ke dalam rencana pemeliharaan. Perbaikan darurat (penambalan) dijadwalkan dalam waktu dekat."),
    ("drainase", "Saluran dibersihkan", "Saluran drainase di lokasi tersebut telah dibersihkan dari sedimen dan sampah. Kami memantau kembali saat hujan berikutnya."),
    ("air-bersih", "Gangguan distribusi", "Gangguan distribusi air disebabkan perbaikan jaringan pipa. Aliran air dipulihkan bertahap; mohon maaf atas ketidaknyamanannya."),
    ("lampu-jalan", "Lampu diperbaiki", "Lampu penerangan jalan umum di lokasi tersebut telah diperbaiki/diganti oleh petugas."),
    ("adminduk", "Dokumen dapat diambil", "Dokumen kependudukan Anda telah selesai diproses dan dapat diambil di kantor Dinas Kependudukan dan Pencatatan Sipil dengan membawa bukti permohonan."),
    ("perizinan", "Penjelasan prosedur", "Berikut penjelasan prosedur perizinan yang Anda tanyakan. Informasi lengkap tersedia di Mal Pelayanan Publik Kota Kupang."),
    ("pungli", "Dalam pemeriksaan", "Laporan Anda sedang dalam pemeriksaan oleh Inspektorat. Identitas pelapor dilindungi. Hasil pemeriksaan akan disampaikan sesuai ketentuan."),
    ("ketertiban", "Penertiban dilakukan", "Satpol PP telah melakukan penertiban di lokasi yang Anda laporkan."),
    ("kesehatan", "Klarifikasi fasilitas kesehatan", "Kami telah melakukan klarifikasi kepada fasilitas kesehatan terkait dan meminta perbaikan pelayanan."),
    ("transportasi", "Ditindaklanjuti petugas", "Petugas Dinas Perhubungan telah meninjau lokasi dan melakukan penanganan."),
]


def load_categories(apps=None):
    """Create the categories, their city-wide routing rule and the response templates."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Category = apps.get_model("pengaduan", "Category")
    RoutingRule = apps.get_model("pengaduan", "RoutingRule")
    ResponseTemplate = apps.get_model("pengaduan", "ResponseTemplate")
    Office = apps.get_model("organization", "Office")
    offices = {o.code: o for o in Office.objects.all()}
    by_code = {}
    for order, (code, name, office_code, days, group, description) in enumerate(CATEGORIES, start=1):
        category, _ = Category.objects.get_or_create(
            service_code=code,
            defaults={"name": name, "follow_up_days": days, "group": group, "description": description, "order": order * 10},
        )
        by_code[code] = category
        office = offices.get(office_code)
        if office is not None and not RoutingRule.objects.filter(category=category, kecamatan__isnull=True).exists():
            RoutingRule.objects.create(category=category, office=office, note="awal (migrasi data)")
    for code, title, text in TEMPLATES:
        category = by_code.get(code) if code else None
        ResponseTemplate.objects.get_or_create(category=category, title=title, defaults={"text": text})
