"""Which services need a visit, and at which step: part of the published standard (reference
data, editable in the admin afterwards; existing rows are kept)."""

VISITS = [
    # service code, step, label, extra things to bring
    ("KTP_EL_BARU", "after_verification", "Perekaman biometrik (foto, sidik jari, iris, tanda tangan)",
     "Tiket antrean (kode atau QR)"),
    ("KTP_EL_BARU", "on_completion", "Pengambilan KTP-el", "Tiket antrean\nBukti pendaftaran permohonan"),
    ("KIA", "on_completion", "Pengambilan Kartu Identitas Anak", "Tiket antrean\nKartu Keluarga asli"),
]


def load_visits(apps=None):
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Service = apps.get_model("layanan", "Service")
    VisitRequirement = apps.get_model("antrean", "VisitRequirement")
    services = {s.code: s for s in Service.objects.filter(code__in={row[0] for row in VISITS})}
    for code, step, label, bring in VISITS:
        if code in services:
            VisitRequirement.objects.get_or_create(service=services[code], step=step, defaults={"label": label, "bring": bring})
